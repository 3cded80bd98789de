package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Exports a model with its {@link Weights} to ONNX, one ONNX model per form ({@link #export}): a
 * {@link Sequential} model's one form {@code model}, and every form of the other kinds.
 *
 * <p>The graph's inputs are {@link Sequential#inputs()}: {@code input}, float32
 * {@code [batch, time, features]} or int64 token ids {@code [batch, time]}; {@code lengths}, int32
 * {@code [batch]}, when the model reads sequence lengths (every recurrent node's
 * {@code sequence_lens}); {@code <layer>_<state>0}, float32 {@code [batch, H]}, for layers that take
 * their initial states. Its outputs are {@link Sequential#outputs()} ({@code output}, plus
 * {@code state_<name>} when the last layer returns its states), all with the symbolic dims
 * {@code batch} and {@code time}. Each layer goes to the converter
 * {@link OnnxConverters} registers for its kind; initializers are named after the parameters
 * ({@code lstm/W}, {@code dense/kernel}). The model is stamped with the target opset and the
 * lowest IR version that opset allows ({@link OpsetTable}), carries every entry of
 * {@link Provenance#toMetadata()} in {@code metadata_props}, and must pass {@link #validate} (the
 * ONNX checker up to opset 22, the reference evaluator at 23) before it is returned or written.
 */
public final class OnnxExporter {

  /** {@code producer_name} of every exported model. */
  public static final String PRODUCER = "rnnx";

  /**
   * The prefix of an ONNX output whose form output shares its name with a form input: the
   * recurrent {@code decoder_step} reads {@code state_h} (and {@code state_c}) and returns the new
   * ones, which ONNX cannot name alike (a graph output named like an input is that input), so the
   * ONNX model returns {@code new_state_h} and {@code new_state_c}.
   */
  public static final String RENAMED_OUTPUT_PREFIX = "new_";

  private OnnxExporter() {}

  /** {@link #export(ModelSpec, Weights, int, Provenance)} at the default opset (17). */
  public static Map<String, OnnxMl.ModelProto> export(ModelSpec model, Weights weights, Provenance provenance) {
    return export(model, weights, OpsetTable.load().defaultOpset(), provenance);
  }

  /**
   * Exports every form of a model ({@link ModelSpec#forms()}), one checked ONNX model per form (ONNX
   * checker with full check and strict shape inference), in form order: a {@link Sequential} model
   * gives {@code {"model": …}}; a {@link Seq2Seq} model {@code training}, {@code encoder},
   * {@code decoder_step} and {@code greedy_decoder} ({@link Seq2SeqForms}); a {@link Word2Vec} model
   * {@code embedding} and {@code most_similar} ({@link Word2VecForms}); a graph model {@code model}
   * ({@link GraphForms}).
   *
   * @param opset the ai.onnx opset to target; the supported range is in {@code converters/opsets.yaml}
   * @throws IllegalArgumentException when the weights do not fit the model
   * @throws OnnxExportException when the opset is unsupported or too old for the model (naming
   *     what needs which opset), a layer kind or option cannot be expressed at it, or a built model
   *     fails its check (the message carries the checker's)
   */
  public static Map<String, OnnxMl.ModelProto> export(ModelSpec model, Weights weights, int opset, Provenance provenance) {
    if (model instanceof Sequential s) {
      return Map.of(ModelForm.MODEL, sequential(s, weights, opset, provenance));
    }
    OpsetTable.load().requireSupported(opset);
    weights.checkFits(model);
    if (model instanceof Seq2Seq s) {
      return Collections.unmodifiableMap(Seq2SeqForms.export(s, weights, opset, provenance));
    }
    if (model instanceof dev.rnnx.spec.Graph g) {
      return Map.of(ModelForm.MODEL, GraphForms.export(g, weights, opset, provenance));
    }
    return Collections.unmodifiableMap(Word2VecForms.export((Word2Vec) model, weights, opset, provenance));
  }

  /** The {@code [B, 1]} float flags of rows with an unmasked step, in a masked model. */
  private static final String MASK_KEPT = Sequential.INPUT + "/mask/kept";

  /** A sequential model's one form, {@code model}. */
  private static OnnxMl.ModelProto sequential(Sequential model, Weights weights, int opset, Provenance provenance) {
    OpsetTable opsets = OpsetTable.load();
    opsets.requireSupported(opset);
    weights.checkFits(model);
    GraphBuilder graph = new GraphBuilder(model.name(), opset, opsets);
    for (TensorSpec in : model.inputs()) {
      graph.claim(in.name());
      graph.graph().addInput(ValueInfos.valueInfo(in.name(), in.shape(), in.dtype()));
    }
    if (model.input().lengths()) {
      graph.lengths(Sequential.LENGTHS);
    }
    graph.time(new TimeAxis(graph, Sequential.INPUT + "/time", Sequential.INPUT,
        model.input().lengths() ? Sequential.LENGTHS : null));
    TensorSpec input = model.inputs().get(0);
    String current = input.name();
    TimeAxis originalTime = graph.time();
    if (model.input().masked()) { // Keras masking: compact the unmasked steps, lengths = their count (MaskCompaction)
      String lengths = Sequential.INPUT + "/mask/lengths";
      current = MaskCompaction.emit(graph, current, model.input(), graph.time(), lengths, MASK_KEPT);
      graph.lengths(lengths);
      graph.time(new TimeAxis(graph, Sequential.INPUT + "/masked_time", current, lengths));
    }

    List<Layer> layers = model.layers();
    List<Shape> inputShapes = model.layerInputShapes();
    List<TensorSpec> outputs = model.outputs();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      boolean last = i == layers.size() - 1;
      List<String> names = last ? outputs.stream().map(TensorSpec::name).toList() : List.of(layer.name() + "/output");
      if (i == model.maskConsumer()) { // restore the steps (sequence) or zero fully masked rows
        String unmasked = layer.name() + "/output_unmasked";
        OnnxConverters.find(layer, opset).convert(layer, inputShapes.get(i), current, List.of(unmasked), weights, graph);
        Shape restored = layer.outputShapes(inputShapes.get(i)).get(0);
        MaskCompaction.restore(graph, input.name(), MASK_KEPT, unmasked, names.get(0), restored.rank(), layer);
        graph.lengths(null); // the layers after it read every original step
        graph.time(originalTime);
      } else {
        OnnxConverters.find(layer, opset).convert(layer, inputShapes.get(i), current, names, weights, graph);
      }
      current = names.get(0);
    }
    for (TensorSpec out : outputs) {
      graph.graph().addOutput(ValueInfos.valueInfo(out.name(), out.shape()));
    }
    return assemble(graph, describe(model), model.name(), opset, opsets, provenance);
  }

  /**
   * The name an ONNX model gives to one of its form's outputs: the output's own name, or
   * {@value #RENAMED_OUTPUT_PREFIX} followed by it when an input of the form has the same name
   * (ONNX names are single-assignment).
   */
  public static String outputName(ModelForm form, String output) {
    boolean clash = form.inputs().stream().anyMatch(i -> i.name().equals(output));
    return clash ? RENAMED_OUTPUT_PREFIX + output : output;
  }


  /**
   * Stamps a built graph as a model (IR version of the opset, opset import, producer, provenance
   * in {@code metadata_props}) and validates it ({@link #validate}).
   */
  static OnnxMl.ModelProto assemble(GraphBuilder graph, String summary, String modelName, int opset, OpsetTable opsets,
      Provenance provenance) {
    graph.graph().setDocString(summary);
    OnnxMl.ModelProto.Builder m = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(opsets.irVersion(opset))
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setProducerName(PRODUCER)
        .setProducerVersion(producerVersion(provenance))
        .setDomain("dev.rnnx")
        .setModelVersion(1)
        .setDocString("rnnx export of " + summary + " (recipe '" + provenance.recipe() + "', seed "
            + provenance.seed() + "; opset " + opset + ", IR " + opsets.irVersion(opset) + ")")
        .setGraph(graph.graph());
    provenance.toMetadata().forEach((k, v) ->
        m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    OnnxMl.ModelProto built = m.build();
    try {
      validate(built);
    } catch (OnnxCheckException e) {
      throw new OnnxExportException("model '" + modelName + "' at opset " + opset + " fails the "
          + (opset <= opsets.checkerMaxOpset() ? "ONNX checker" : "reference evaluator's check") + ": " + e.checkerMessage(), e);
    }
    return built;
  }

  /**
   * Validates a model: first what its kernels assume ({@link KernelAssumptions}, the check every
   * loader makes before ONNX Runtime sees a file), then up to the opset the bundled ONNX checker knows ({@code checker_max_opset}
   * in {@code opsets.yaml}, 22), with that checker (full check, strict shape inference); above it
   * (opset 23, IR 11, which ONNX 1.17 cannot read) by preparing it in rnnx's reference evaluator
   * and running it once on the smallest valid inputs ({@link ReferenceCheck}). ONNX Runtime is not
   * started here (a raw ONNX Runtime environment created first would stop DJL's engine from
   * starting); the tests build an ONNX Runtime session for every opset-23 export.
   *
   * @throws OnnxCheckException with the checker's or the evaluator's message
   */
  static void validate(OnnxMl.ModelProto model) {
    try {
      KernelAssumptions.check("the exported model", model);
    } catch (KernelAssumptionException e) {
      throw new OnnxCheckException("it breaks a kernel assumption: " + e.getMessage());
    }
    if (opset(model) <= OpsetTable.load().checkerMaxOpset()) {
      OnnxChecker.check(model);
    } else {
      ReferenceCheck.check(model);
    }
  }

  /** A model's default-domain opset (1 when it imports none). */
  private static int opset(OnnxMl.ModelProto model) {
    return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
        .mapToInt(o -> (int) o.getVersion()).findFirst().orElse(1);
  }

  /**
   * Checks, before any training, that a model can be exported at an opset: builds every form with
   * zero weights and checks each.
   *
   * @throws IllegalArgumentException naming the layer, the option and the opset or alternative that
   *     works, when a layer option cannot be expressed at {@code opset} or the opset is unsupported
   */
  public static void checkExportable(ModelSpec model, int opset) {
    Map<String, FloatTensor> zeros = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      zeros.put(p.name(), FloatTensor.zeros(java.util.Arrays.stream(p.shape()).asLongStream().toArray()));
    }
    try {
      export(model, new Weights(zeros), opset, new Provenance(model.name(), "", 0, Map.of(), Map.of()));
    } catch (OnnxExportException e) {
      throw new IllegalArgumentException("model '" + model.name() + "' cannot be exported to ONNX at opset " + opset + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Writes what {@link #export} returns: every form as {@code <folder>/<form>.onnx} ({@link ModelForm}'s
   * file names: a sequential model's one form is {@code model.onnx}), each as
   * {@link #write(OnnxMl.ModelProto, Path)} writes one file.
   *
   * @return the files written, by form
   */
  public static Map<String, Path> write(Map<String, OnnxMl.ModelProto> forms, Path folder) throws IOException {
    Files.createDirectories(folder);
    Map<String, Path> files = new LinkedHashMap<>();
    for (var e : forms.entrySet()) {
      Path file = folder.resolve(e.getKey() + ".onnx");
      write(e.getValue(), file);
      files.put(e.getKey(), file);
    }
    return files;
  }

  /**
   * Writes a model atomically: checked first, then serialised into a temporary sibling that is
   * moved into place, so that no reader ever sees a half-written file and a failure leaves none.
   *
   * @throws IllegalArgumentException when {@code file} is an existing folder
   * @throws OnnxExportException when the model fails the ONNX checker (nothing is written)
   * @throws IOException when the file cannot be written
   */
  public static void write(OnnxMl.ModelProto model, Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + ": is a folder, expected the path of an ONNX model file to write");
    }
    try {
      validate(model);
    } catch (OnnxCheckException e) {
      boolean checker = opset(model) <= OpsetTable.load().checkerMaxOpset();
      throw new OnnxExportException(file + ": refusing to write a model that fails the "
          + (checker ? "ONNX checker" : "reference evaluator's check") + ": " + e.checkerMessage(), e);
    }
    AtomicFiles.write(file, model.toByteArray());
  }

  private static String describe(Sequential model) {
    String in = model.input().tokens() ? "token ids [batch, time]" : "input [batch, time, " + model.inputFeatures() + "]";
    return "model '" + model.name() + "': " + in + (model.input().lengths() ? " with lengths" : "") + " -> "
        + model.layers().stream().map(Layer::toString).collect(Collectors.joining(" -> "));
  }

  private static String producerVersion(Provenance provenance) {
    String v = provenance.versions().get("rnnx");
    return v != null ? v : Provenance.libraryVersions().get("rnnx");
  }
}

package dev.rnnx.tf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model as a live TensorFlow session: the {@code tf-java} backend. The graph is forward-only,
 * holds the weights as constants, and runs each recurrence in a {@code whileLoop}, so it accepts any
 * batch size and any sequence length of at least one step, with per-sequence lengths and initial
 * states when the model takes them. {@link #exportSavedModel} writes the
 * same graph as a SavedModel.
 *
 * <p>Thread-safe: {@link #run} may be called concurrently; {@link #close} waits for running calls.
 */
public final class TfServingModel implements TfForm {

  /** The signature key of the exported SavedModel. */
  public static final String SIGNATURE_KEY = "serving_default";
  /** The SavedModel tag. */
  public static final String TAG = "serve";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Sequential model;
  private final LiveGraph live;
  private final InputContract contract;

  private TfServingModel(Sequential model, LiveGraph live) {
    this.model = model;
    this.contract = model.contract();
    this.live = live;
  }

  /**
   * Builds the serving graph of a model with its weights.
   *
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public static TfServingModel build(Sequential model, Weights weights) {
    weights.checkFits(model);
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Signature.Builder signature = Signature.builder().key(SIGNATURE_KEY);
      Operand<?> input = null;
      Operand<TInt32> lengths = null;
      Map<String, Operand<TFloat32>> states = new LinkedHashMap<>();
      List<Operand<?>> placeholders = new ArrayList<>();
      for (TensorSpec spec : model.inputs()) {
        Operand<?> placeholder = LiveGraph.placeholder(tf, spec);
        placeholders.add(placeholder);
        signature.input(spec.name(), placeholder);
        if (spec.name().equals(Sequential.INPUT)) {
          input = placeholder;
        } else if (spec.name().equals(Sequential.LENGTHS)) {
          lengths = placeholder.asOutput().expect(TInt32.class);
        } else {
          states.put(spec.name(), placeholder.asOutput().expect(TFloat32.class));
        }
      }
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        constants.put(p.name(), TfTensors.constant(TfNames.named(tf, p.name()), weights.get(p.name())));
      }
      MaskCompaction compacted = null;
      if (model.input().masked()) { // Keras masking: compact the unmasked steps, lengths = their count
        compacted = MaskCompaction.of(tf, input, model.input());
        input = compacted.x();
        lengths = compacted.lengths();
      }
      LayerContext ctx = LayerContext.serving(graph, tf, TfParameters.of(constants), lengths, states);
      List<Shape> inputShapes = model.layerInputShapes();
      Operand<?> value = input;
      List<Operand<TFloat32>> outputs = List.of();
      for (int i = 0; i < model.layers().size(); i++) {
        Layer layer = model.layers().get(i);
        outputs = TfLayers.builder(layer.kind()).serving(ctx, layer, inputShapes.get(i), value);
        if (i == model.maskConsumer()) {
          Shape restored = layer.outputShapes(inputShapes.get(i)).get(0);
          outputs = List.of(compacted.restore(tf, outputs.get(0), restored.rank(), layer));
          ctx = ctx.withoutLengths(); // the layers after it read every original step
        }
        value = outputs.get(0);
      }
      List<TensorSpec> specs = model.outputs();
      List<Operand<?>> fetches = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        Operand<?> named = tf.withName(specs.get(i).name()).identity(outputs.get(i));
        fetches.add(named);
        signature.output(specs.get(i).name(), named);
      }
      LiveGraph live = new LiveGraph("TfServingModel of model '" + model.name() + "'", graph, signature.build(),
          model.inputs(), placeholders, specs, fetches);
      return new TfServingModel(model, live);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** The model this session serves. */
  public Sequential model() {
    return model;
  }

  /** The model's only form, {@code model}. */
  @Override
  public dev.rnnx.spec.ModelForm form() {
    return model.forms().get(0);
  }

  /**
   * Runs the model.
   *
   * @param inputs every input of {@link Sequential#inputs()}: {@code input} (floats
   *     {@code [batch, time, features]}, or int64 token ids {@code [batch, time]} as a
   *     {@link LongTensor}), {@code lengths} (a {@link LongTensor}, fed as int32) when the model
   *     takes lengths, and the initial states it takes
   * @return the outputs named as {@link Sequential#outputs()}, in that order
   * @throws IllegalArgumentException when an input is missing, unknown, misshapen, not finite, or
   *     out of range, or longer than a positional encoding's {@code max_length} (checked by
   *     {@link Sequential#contract()} before any native call)
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return live.run(inputs, contract::check);
  }

  /**
   * Writes the serving graph as a SavedModel (tag {@value #TAG}, signature {@value #SIGNATURE_KEY},
   * inputs as {@link Sequential#inputs()}: {@code input} float32 {@code [-1, -1, features]} or int64
   * {@code [-1, -1]}, {@code lengths} int32 {@code [-1]}, states float32 {@code [-1, size]};
   * outputs as {@link Sequential#outputs()}) with
   * {@value Provenance#SAVED_MODEL_FILE} beside {@code saved_model.pb}. The folder is built as a temporary
   * sibling and moved into place, replacing any previous one.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void exportSavedModel(Path dir, Provenance provenance) throws IOException {
    live.exportSavedModel(dir, provenance);
  }

  /** The provenance record's fields plus its flat {@code metadata} pairs, as JSON. */
  static String provenanceJson(Provenance provenance) throws IOException {
    ObjectNode node = JSON.valueToTree(provenance);
    node.set("metadata", JSON.valueToTree(provenance.toMetadata()));
    return JSON.writeValueAsString(node);
  }

  /** Closes the session and the graph; later calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    live.close();
  }
}

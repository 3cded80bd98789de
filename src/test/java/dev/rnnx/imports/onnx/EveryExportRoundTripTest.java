package dev.rnnx.imports.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.onnx.OnnxExportException;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.Flatten;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.LayerYaml;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model kind rnnx exports to ONNX, at the oldest opset that exports it and at 13, 17 and 23
 * (those it exports at), imported back: either the same spec (initializers aside, which an ONNX file does not
 * record) with bit-identical canonical weights and the same outputs as the original graph on the
 * pure-Java ONNX evaluator, or one named refusal ({@link ImportException} naming the file and the
 * node). The refusals are the "Not read" list of docs/IMPORT-ONNX.md; every layer kind a recipe can
 * name and every model kind appear here ({@link #everyLayerAndModelKindIsCovered}).
 */
class EveryExportRoundTripTest {

  private static final List<Integer> OPSETS = List.of(9, 10, 11, 12, 13, 17, 23);

  @TempDir
  Path dir;

  /**
   * A model and what importing its export must give: null to lift, else a pattern its refusal
   * matches; {@code liftedForms}: forms of a multi-form model that import as a sequential model of
   * their own (checked against the original graph's numbers) while the others are refused.
   */
  record Case(String label, ModelSpec model, String refusal, java.util.Set<String> liftedForms, List<Integer> opsets) {
    Case(String label, ModelSpec model, String refusal) {
      this(label, model, refusal, java.util.Set.of(), OPSETS);
    }

    Case(String label, ModelSpec model, String refusal, java.util.Set<String> liftedForms) {
      this(label, model, refusal, liftedForms, OPSETS);
    }

    /** The same case at the one opset its recipe exports at. */
    Case at(int opset) {
      return new Case(label, model, refusal, liftedForms, List.of(opset));
    }

    @Override
    public String toString() {
      return label;
    }
  }

  private static Case lifts(String label, ModelSpec model) {
    return new Case(label, model, null);
  }

  private static Case refused(String label, ModelSpec model, String refusal) {
    return new Case(label, model, refusal);
  }

  private static Sequential seq(String name, ModelInput in, Layer... layers) {
    return new Sequential(name, in, List.of(layers));
  }

  static Stream<Case> cases() {
    ModelInput f = ModelInput.ofFeatures(3);
    List<Case> c = new ArrayList<>();
    c.add(lifts("lstm_peephole_lengths", seq("lstm_peephole_lengths", f.withLengths(),
        Lstm.builder("lstm", 4).peephole(true).returnSequences(true).build(),
        new TimeDistributed("head", new Dense("head", 2, Activation.SOFTMAX, true)))));
    c.add(lifts("lstm_hard_sigmoid", seq("lstm_hard_sigmoid", f,
        Lstm.builder("lstm", 4).recurrentActivation(Activation.HARD_SIGMOID).useBias(false).build())));
    c.add(lifts("gru_reset_after", seq("gru_reset_after", f, Gru.builder("gru", 4).resetAfter(true).build(),
        new Dense("out", 2, Activation.SIGMOID, true))));
    c.add(lifts("gru_reset_before", seq("gru_reset_before", f, Gru.builder("gru", 4).resetAfter(false).returnSequences(true).build())));
    c.add(lifts("simple_rnn_relu", seq("simple_rnn_relu", f, SimpleRnn.builder("rnn", 4).activation(Activation.RELU).build())));
    for (MergeMode merge : MergeMode.values()) {
      for (boolean sequences : List.of(true, false)) {
        String name = "bidirectional_" + merge.recipeName() + (sequences ? "_sequences" : "_final");
        c.add(lifts(name, seq(name, f, new Bidirectional("bi", Lstm.builder("bi", 3).returnSequences(sequences).build(), merge))));
      }
    }
    c.add(lifts("stacked", seq("stacked", f, Lstm.builder("lstm", 4).returnSequences(true).build(),
        Gru.builder("gru", 3).returnSequences(true).build(), Lstm.builder("lstm_1", 3).build(),
        new Dense("out", 1, Activation.LINEAR, true))));
    c.add(lifts("go_backwards_final", seq("go_backwards_final", f, Gru.builder("gru", 4).goBackwards(true).build())));
    c.add(lifts("go_backwards_sequences", seq("go_backwards_sequences", f,
        Lstm.builder("lstm", 4).goBackwards(true).returnSequences(true).build(), new Dense("out", 2, Activation.LINEAR, true))));
    c.add(lifts("go_backwards_sequences_lengths", seq("go_backwards_sequences_lengths", f.withLengths(),
        SimpleRnn.builder("rnn", 4).goBackwards(true).returnSequences(true).build())));
    for (MergeMode merge : MergeMode.values()) {
      String name = "bidirectional_go_backwards_" + merge.recipeName();
      c.add(lifts(name + "_final", seq(name + "_final", f,
          new Bidirectional("bi", Gru.builder("bi", 3).goBackwards(true).build(), merge))));
      c.add(lifts(name + "_sequences", seq(name + "_sequences", f,
          new Bidirectional("bi", Lstm.builder("bi", 3).goBackwards(true).returnSequences(true).build(), merge))));
      c.add(lifts(name + "_sequences_lengths", seq(name + "_sequences_lengths", f.withLengths(),
          new Bidirectional("bi", Gru.builder("bi", 3).goBackwards(true).returnSequences(true).build(), merge))));
    }
    c.add(lifts("state_inputs", seq("state_inputs", f.withLengths(),
        Lstm.builder("lstm", 3).returnSequences(true).stateInputs(true).build(),
        new Bidirectional("bi", Gru.builder("bi", 3).stateInputs(true).build(), MergeMode.CONCAT))));
    c.add(lifts("embedding", seq("embedding", ModelInput.ofTokens(), new Embedding("embedding", 9, 4, Initializer.EMBEDDING),
        Gru.builder("gru", 5).build(), new Dense("out", 3, Activation.SOFTMAX, true))));
    c.add(lifts("layer_normalization", seq("layer_normalization", f, Lstm.builder("lstm", 4).returnSequences(true).build(),
        new LayerNormalization("norm", 1e-3, true, true), new Dense("out", 2, Activation.TANH, true))));
    c.add(refused("masked", seq("masked", f.withMask(0), Lstm.builder("lstm", 4).build()),
        "node 'input/mask/Equal' \\(Equal\\)"));
    c.add(lifts("return_state", seq("return_state", f, Lstm.builder("lstm", 4).returnState(true).build())));
    c.add(lifts("return_state_sequences", seq("return_state_sequences", f.withLengths(),
        Gru.builder("gru", 3).returnSequences(true).build(), Lstm.builder("lstm", 4).returnSequences(true).returnState(true).build())));
    c.add(lifts("return_state_gru", seq("return_state_gru", f, Gru.builder("gru", 4).returnState(true).build())));
    for (MergeMode merge : List.of(MergeMode.CONCAT, MergeMode.SUM)) {
      for (boolean sequences : List.of(true, false)) {
        String name = "bidirectional_return_state_" + merge.recipeName() + (sequences ? "_sequences" : "_final");
        c.add(lifts(name, seq(name, f, new Bidirectional("bi",
            Lstm.builder("bi", 3).returnSequences(sequences).returnState(true).build(), merge))));
      }
    }
    c.add(lifts("transformer_encoder", seq("transformer_encoder", f, new Dense("d", 4, Activation.LINEAR, true),
        new TransformerEncoder("te", 2, 6, 1e-5, false))));
    c.add(lifts("transformer_encoder_norm_first_gelu", seq("transformer_encoder_norm_first_gelu", f,
        new Dense("d", 4, Activation.LINEAR, true),
        new TransformerEncoder("te", 2, 6, 1e-5, false, true, FeedForwardActivation.GELU),
        new TransformerEncoder("te_1", 1, 3, 1e-3, false, false, FeedForwardActivation.GELU))));
    c.add(lifts("lstm_transformer_encoder", seq("lstm_transformer_encoder", f, Lstm.builder("lstm", 4).returnSequences(true).build(),
        new TransformerEncoder("te", 2, 5, 1e-5, false, true, FeedForwardActivation.RELU), new Dense("out", 2, Activation.LINEAR, true))));
    c.add(lifts("transformer_encoder_causal", seq("transformer_encoder_causal", f, new Dense("d", 4, Activation.LINEAR, true),
        new TransformerEncoder("te", 2, 6, 1e-5, true))));
    c.add(refused("transformer_encoder_lengths", seq("transformer_encoder_lengths", f.withLengths(),
        Gru.builder("gru", 4).returnSequences(true).build(), new TransformerEncoder("te", 2, 6, 1e-5, false)), "node '"));
    c.add(lifts("multi_head_attention", seq("multi_head_attention", f, new Dense("d", 4, Activation.LINEAR, true),
        new MultiHeadAttention("mha", 2, 3, false), new Dense("out", 2, Activation.LINEAR, true))));
    c.add(lifts("gru_multi_head_attention", seq("gru_multi_head_attention", f, Gru.builder("gru", 4).returnSequences(true).build(),
        new MultiHeadAttention("mha", 1, 4, false))));
    c.add(lifts("multi_head_attention_causal", seq("multi_head_attention_causal", f, new MultiHeadAttention("mha", 2, 2, true))));
    c.add(refused("multi_head_attention_lengths", seq("multi_head_attention_lengths", f.withLengths(),
        Lstm.builder("lstm", 4).returnSequences(true).build(), new MultiHeadAttention("mha", 2, 2, false)),
        "node 'mha/(Softmax|Attention)'"));
    for (AttentionScore score : AttentionScore.values()) {
      String name = "attention_" + score.name().toLowerCase(java.util.Locale.ROOT);
      Sequential m = seq(name, f, new Dense("d", 4, Activation.TANH, true),
          new Attention("att", score, score == AttentionScore.ADDITIVE ? 3 : 0, false), new Dense("out", 2, Activation.LINEAR, true));
      c.add(lifts(name, m));
    }
    c.add(lifts("attention_causal", seq("attention_causal", f, new Attention("att", AttentionScore.SCALED_DOT, 0, true))));
    c.add(lifts("attention_additive_causal", seq("attention_additive_causal", f,
        new Attention("att", AttentionScore.ADDITIVE, 2, true))));
    c.add(refused("attention_lengths", seq("attention_lengths", f.withLengths(), Lstm.builder("lstm", 3).returnSequences(true).build(),
        new Attention("att", AttentionScore.DOT, 0, false)), "node '"));
    c.add(lifts("positional_encoding", seq("positional_encoding", f, new Dense("d", 4, Activation.LINEAR, true),
        new PositionalEncoding("pe", 16, true), new TransformerEncoder("te", 2, 6, 1e-5, false))));
    c.add(lifts("positional_encoding_unscaled", seq("positional_encoding_unscaled", f,
        Gru.builder("gru", 6).returnSequences(true).build(), new PositionalEncoding("pe", 9, false))));
    c.add(lifts("global_average_pooling", seq("global_average_pooling", f, Lstm.builder("lstm", 4).returnSequences(true).build(),
        new GlobalAveragePooling("pool"), new Dense("out", 2, Activation.LINEAR, true))));
    c.add(lifts("global_max_pooling", seq("global_max_pooling", f, new GlobalMaxPooling("pool"))));
    c.add(refused("global_average_pooling_lengths", seq("global_average_pooling_lengths", f.withLengths(),
        Gru.builder("gru", 3).returnSequences(true).build(), new GlobalAveragePooling("pool")), "node '(input/time|pool)/"));
    c.add(lifts("flatten", seq("flatten", f, Gru.builder("gru", 3).returnSequences(true).build(), new Flatten("flat", 5),
        new Dense("out", 2, Activation.SOFTMAX, true))));
    c.add(refused("normalization", seq("normalization", f,
        Normalization.unfitted("norm", false).fit(new double[] {1, 2, 3}, new double[] {1, 2, 3})), "node 'norm/Add' \\(Add\\)"));
    c.add(new Case("seq2seq_rnn", new Seq2Seq("seq2seq_rnn", 9, 8, 4, new RnnEncoder(Cell.LSTM, 5),
        new RnnDecoder(Cell.LSTM, 5, AttentionScore.DOT, 3), 12, 6), "input '|node '", java.util.Set.of("encoder")));
    c.add(new Case("seq2seq_rnn_gru", new Seq2Seq("seq2seq_rnn_gru", 9, 8, 4, new RnnEncoder(Cell.GRU, 5),
        new RnnDecoder(Cell.GRU, 5, AttentionScore.ADDITIVE, 3), 12, 6), "input '|node '", java.util.Set.of("encoder")));
    c.add(refused("seq2seq_transformer", new Seq2Seq("seq2seq_transformer", 9, 8, 4, new TransformerStack(1, 2, 7, 1e-3),
        new TransformerStack(1, 2, 5, 1e-3), 12, 6), "input '|node '"));
    c.add(refused("word2vec", new Word2Vec("word2vec", 10, 2, Word2Vec.Architecture.SKIP_GRAM, 2,
        Word2Vec.Objective.NEGATIVE_SAMPLING, 3), "input 'ids'"));
    c.add(refused("graph", new Graph("graph", List.of(new GraphInput("a", ModelInput.ofFeatures(2)), new GraphInput("b",
        ModelInput.ofFeatures(2))), List.of(GraphNode.of(Lstm.builder("left", 3).build(), "a"),
        GraphNode.of(Gru.builder("right", 3).build(), "b"), GraphNode.merge("sum", GraphMerge.ADD, "left", "right"),
        GraphNode.of(new Dense("out", 1, Activation.LINEAR, true), "sum")), List.of("out")), "input .b. is a second float sequence"));
    return c.stream();
  }

  /** The recipes under models/ and models/tanaka/ at their export opset, with a normalization layer fitted (its statistics come from the data at run time). */
  static Stream<Case> recipes() throws IOException {
    List<Case> c = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("models"), 2)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        dev.rnnx.spec.Recipe recipe = RecipeCodec.read(p);
        ModelSpec m = recipe.model();
        String label = p.toString();
        int opset = recipe.export().opset(); // the opset `run` exports the recipe at (the cases above vary it)
        if (m instanceof Sequential s) {
          List<Layer> layers = new ArrayList<>();
          for (int i = 0; i < s.layers().size(); i++) {
            int width = s.layerInputShapes().get(i).dim(-1);
            layers.add(s.layers().get(i) instanceof Normalization n && !n.fitted() ? n.fit(ones(width), ones(width))
                : s.layers().get(i));
          }
          Sequential fitted = new Sequential(s.name(), s.input(), layers);
          boolean normalized = layers.stream().anyMatch(l -> l instanceof Normalization);
          c.add((normalized ? refused(label, fitted, "node 'normalization/") : lifts(label, fitted)).at(opset));
        } else {
          boolean rnnEncoder = m instanceof Seq2Seq s2s && s2s.encoder() instanceof RnnEncoder;
          c.add(new Case(label, m, m instanceof Word2Vec ? "input 'ids'" : "input '|node '",
              rnnEncoder ? java.util.Set.of("encoder") : java.util.Set.of()).at(opset));
        }
      }
    }
    return c.stream();
  }

  @Test
  void everyLayerAndModelKindIsCovered() throws IOException {
    List<ModelSpec> all = Stream.concat(cases(), recipes()).map(Case::model).toList();
    TreeSet<String> layerKinds = new TreeSet<>();
    TreeSet<String> modelKinds = new TreeSet<>();
    for (ModelSpec m : all) {
      modelKinds.add(m.kind());
      if (m instanceof Sequential s) {
        s.layers().forEach(l -> layerKinds.add(l.kind()));
      }
    }
    assertEquals(new TreeSet<>(RecipeCodec.layerKinds()), layerKinds, "layer kinds");
    assertEquals(new TreeSet<>(RecipeCodec.modelKinds()), modelKinds, "model kinds");
  }

  @Test
  void aPositionalTableThatIsNotTheSinusoidIsRefusedAtItsAdd() throws IOException {
    Sequential model = seq("pe_changed", ModelInput.ofFeatures(4), new PositionalEncoding("pe", 8, true));
    OnnxMl.ModelProto.Builder m = OnnxExporter.export(model, random(model.parameters(), 1), 17,
        RnnxRoundTripTest.provenance()).get(ModelForm.MODEL).toBuilder();
    OnnxMl.GraphProto.Builder graph = m.getGraphBuilder();
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      if (graph.getInitializer(i).getName().equals("pe/table")) {
        float[] cells = new OnnxGraph(dir, graph.build()).initializer("pe/table").toFloat().data();
        cells[13] += 1e-3f;
        OnnxMl.TensorProto.Builder t = graph.getInitializer(i).toBuilder().clearFloatData().clearRawData();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * cells.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float v : cells) {
          bytes.putFloat(v);
        }
        graph.setInitializer(i, t.setRawData(com.google.protobuf.ByteString.copyFrom(bytes.array())));
      }
    }
    Path file = dir.resolve("pe_changed.onnx");
    Files.write(file, m.build().toByteArray());
    ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(file));
    assertTrue(e.getMessage().startsWith(file + ": node 'pe/Add' (Add): adds a table whose row 3, column 1 is"),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"cases", "recipes"})
  void anRnnxExportImportsBackOrIsRefusedByName(Case c) throws IOException {
    Weights weights = random(c.model().parameters(), c.label().hashCode());
    int exported = 0;
    for (int opset : c.opsets()) {
      Map<String, OnnxMl.ModelProto> forms;
      try {
        forms = OnnxExporter.export(c.model(), weights, opset, RnnxRoundTripTest.provenance());
      } catch (OnnxExportException e) {
        if (opset >= 17 || c.opsets().size() == 1) {
          throw e;
        }
        continue; // too old an opset for this model: the exporter's refusal, tested with the exporter
      }
      if (opset < 13 && exported > 0) {
        continue; // the oldest opset that exports, then 13, 17, 23
      }
      exported++;
      for (Map.Entry<String, OnnxMl.ModelProto> form : forms.entrySet()) {
        Path file = dir.resolve(opset + "_" + form.getKey()).resolve(c.model().name() + ".onnx");
        Files.createDirectories(file.getParent());
        OnnxExporter.write(form.getValue(), file);
        String at = c.label() + " form " + form.getKey() + " at opset " + opset;
        if (c.refusal() == null) {
          roundTrip(at, (Sequential) c.model(), weights, form.getValue(), file);
        } else if (c.liftedForms().contains(form.getKey())) { // the LSTM encoder of a seq2seq model: embedding → lstm
          ImportedModel imported = new OnnxImporter().read(file);
          agree(at, form.getValue(), (Sequential) imported.model(), imported.weights());
        } else {
          ImportException e = assertThrows(ImportException.class, () -> new OnnxImporter().read(file), at);
          assertTrue(e.getMessage().startsWith(file + ": "), at + ": " + e.getMessage());
          assertTrue(Pattern.compile(c.refusal()).matcher(e.getMessage()).find(), at + ": " + e.getMessage());
          assertFalse(e.getMessage().contains("\n"), at + ": " + e.getMessage());
        }
      }
    }
    assertTrue(exported >= Math.min(2, c.opsets().size()), c.label() + " exported at " + exported + " opsets");
  }

  private static void roundTrip(String at, Sequential model, Weights weights, OnnxMl.ModelProto original, Path file) {
    ImportedModel imported = new OnnxImporter().read(file);
    assertEquals("rnnx", imported.source().framework(), at);
    assertEquals(weights.names(), imported.weights().names(), at);
    for (String name : weights.names()) {
      assertArrayEquals(weights.get(name).shape(), imported.weights().get(name).shape(), at + " " + name);
      assertArrayEquals(bits(weights.get(name)), bits(imported.weights().get(name)), at + " " + name);
    }
    Sequential back = (Sequential) imported.model();
    assertEquals(model.input(), back.input(), at);
    assertEquals(model.inputs(), back.inputs(), at);
    assertEquals(architecture(model.layers()), architecture(back.layers()), at);
    agree(at, original, back, imported.weights());
  }

  /**
   * The layers as recipe YAML without what an ONNX file does not record: what only training reads
   * (initializers with their settings, {@code unit_forget_bias}) and the name of the layer inside a
   * Bidirectional (its parameters are named after the wrapper); a TimeDistributed dense layer as the
   * dense layer it computes.
   */
  private static String architecture(List<Layer> layers) {
    List<String> kept = new ArrayList<>();
    for (Layer l : layers) {
      int skipDeeperThan = -1;
      for (String line : LayerYaml.write(l instanceof TimeDistributed t ? t.asDense() : l).lines().toList()) {
        int indent = line.length() - line.stripLeading().length();
        if (skipDeeperThan >= 0 && indent > skipDeeperThan) {
          continue;
        }
        skipDeeperThan = -1;
        String key = line.strip();
        if (key.contains("initializer") || key.startsWith("unit_forget_bias:")) {
          skipDeeperThan = indent;
        } else if (!(indent > 0 && key.startsWith("name:"))) {
          kept.add(line);
        }
      }
    }
    return String.join("\n", kept);
  }

  /** The original graph on the pure-Java ONNX evaluator and the imported model on the reference forward agree. */
  private static void agree(String at, OnnxMl.ModelProto original, Sequential model, Weights weights) {
    int batch = 3;
    int time = 5;
    Random r = new Random(7);
    Map<String, Tensor> mine = new LinkedHashMap<>();
    Map<String, Value> theirs = new LinkedHashMap<>();
    List<String> graphInputs = original.getGraph().getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    for (TensorSpec in : model.inputs()) {
      String onnxName = graphInputs.get(model.inputs().indexOf(in));
      if (in.name().equals(Sequential.INPUT) && model.input().tokens()) {
        long[] ids = new long[batch * time];
        int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
        Arrays.setAll(ids, i -> r.nextInt(vocabulary));
        mine.put(in.name(), LongTensor.of(ids, batch, time));
        theirs.put(onnxName, Value.ofInt64(new long[] {batch, time}, ids));
      } else if (in.name().equals(Sequential.LENGTHS)) {
        int[] lengths = {time, 2, 4};
        mine.put(in.name(), LongTensor.of(Arrays.stream(lengths).asLongStream().toArray(), batch));
        theirs.put(onnxName, Value.ofInt32(new long[] {batch}, lengths));
      } else {
        int[] dims = in.shape().dims();
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
          shape[i] = dims[i] >= 0 ? dims[i] : i == 0 ? batch : time;
        }
        float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) r.nextGaussian();
        }
        mine.put(in.name(), new FloatTensor(shape, v));
        theirs.put(onnxName, Value.ofFloats(shape, v));
      }
    }
    Map<String, FloatTensor> got = ReferenceForms.form(model, weights, ModelForm.MODEL).run(mine);
    Map<String, Value> want = new OnnxEvaluator(original).run(theirs);
    assertEquals(want.size(), got.size(), at);
    for (int i = 0; i < got.size(); i++) { // the graph's outputs in order, as the model's (the importer's notes map them)
      FloatTensor mineOut = got.get(model.outputs().get(i).name());
      Value theirsOut = want.get(original.getGraph().getOutput(i).getName());
      assertArrayEquals(theirsOut.shape(), mineOut.shape(), at + " output " + i);
      double err = TorchFixtures.maxAbs(mineOut, new FloatTensor(theirsOut.shape(), theirsOut.toFloatArray()));
      assertTrue(err <= 1e-5, at + " output " + i + ": max abs difference " + err);
    }
  }

  private static double[] ones(int n) {
    double[] d = new double[n];
    Arrays.fill(d, 1);
    return d;
  }

  static int[] bits(FloatTensor t) {
    int[] b = new int[t.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = Float.floatToRawIntBits(t.data()[i]);
    }
    return b;
  }

  static Weights random(List<dev.rnnx.spec.ParameterSpec> params, long seed) {
    Random r = new Random(seed);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (dev.rnnx.spec.ParameterSpec p : params) {
      float[] d = new float[(int) p.size()];
      boolean positive = p.name().endsWith("/gamma") || p.name().endsWith("variance");
      for (int i = 0; i < d.length; i++) {
        d[i] = (float) ((2 * r.nextDouble() - 1) * 0.5 + (positive ? 1 : 0));
      }
      m.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), d));
    }
    return new Weights(m);
  }
}

package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecipeCodecTest {

  private static final String MINIMAL = """
      name: t
      seed: 7
      model:
        input: {features: 1}
        layers:
          - type: lstm
            units: 4
          - type: dense
            units: 1
      data: {task: sine, window: 5, samples: 100}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 2, batch_size: 8}
      """;

  @Test
  void readsTheSineRecipe() {
    Recipe r = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    assertEquals("sine-lstm", r.name());
    assertEquals(42, r.seed());
    assertEquals(List.of("lstm", "dense"), r.sequential().layers().stream().map(Layer::name).toList());
    Lstm lstm = (Lstm) r.sequential().layers().get(0);
    assertEquals(20, lstm.units());
    assertEquals(Activation.TANH, lstm.activation());
    assertEquals(Activation.SIGMOID, lstm.recurrentActivation());
    assertEquals(25, r.trainingLength());
    assertEquals(17, r.export().opset());
    assertEquals(1e-5, r.tolerances().atol());
    assertEquals(OptimizerKind.ADAM, r.training().optimizer());
  }

  @Test
  void writeThenParseGivesAnEqualRecipe() {
    Recipe r = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round-trip"));
  }

  /** Recipes that use every layer kind, with options away from their defaults. */
  static List<Recipe> everyKind() {
    Recipe base = RecipeCodec.parse(MINIMAL, "minimal");
    TrainingSpec cce = new TrainingSpec(Loss.CATEGORICAL_CROSSENTROPY, OptimizerKind.RMSPROP, 0.003, 3, 16,
        Clipping.byGlobalNorm(5), true);
    Sequential sine = new Sequential("sine", 1, List.of(
        new Normalization("norm", List.of(315.25), List.of(0.125), false),
        SimpleRnn.builder("rnn", 5).activation(Activation.RELU).returnSequences(true).goBackwards(true).stateInputs(true)
            .useBias(false).kernelInitializer(Initializer.normal(0.5)).build(),
        Gru.builder("gru", 4).resetAfter(false).recurrentActivation(Activation.HARD_SIGMOID).returnSequences(true)
            .recurrentInitializer(new Initializer(Initializer.Kind.ORTHOGONAL, 1.5)).build(),
        new Bidirectional("bi", Lstm.builder("inner", 3).peephole(true).unitForgetBias(false).returnSequences(true)
            .activation(Activation.SOFTSIGN).build(), MergeMode.SUM),
        Lstm.builder("last", 1).returnState(true).stateInputs(true).biasInitializer(Initializer.of(Initializer.Kind.ONES)).build()));
    Sequential tagger = new Sequential("tagger", 1, List.of(
        new Bidirectional("bi", Gru.builder("g", 6).returnSequences(true).returnState(false).build(), MergeMode.CONCAT),
        new TimeDistributed("td", new Dense("d", 3, Activation.SOFTMAX, true,
            Initializer.of(Initializer.Kind.HE_NORMAL), Initializer.of(Initializer.Kind.ZEROS)))));
    Sequential classifier = new Sequential("classifier", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("emb", 12, 4, new Initializer(Initializer.Kind.UNIFORM, 0.1)),
        Lstm.builder("lstm", 8).returnSequences(true).build(), new GlobalMaxPooling("max"),
        new Dense("out", 3, Activation.SOFTMAX, true, Initializer.of(Initializer.Kind.GLOROT_NORMAL), Initializer.ZEROS)));
    return List.of(
        new Recipe("kinds-sine", "", 1, sine, base.data(), new TrainingSpec(Loss.MSE, OptimizerKind.MOMENTUM, 0.1, 2, 4,
            Clipping.byValue(1), false), new ExportSpec(13, 50), new Tolerances(1e-4, 0)),
        new Recipe("kinds-tagger", "", 2, tagger, new ContextTaggingTask(9, 100, 0.25), cce, base.export(), base.tolerances()),
        new Recipe("kinds-classifier", "", 3, classifier, new MajorityTokensTask(12, 3, 2, 9, 100, 0.3), cce, base.export(),
            base.tolerances()),
        new Recipe("kinds-attention", "", 5, new Sequential("attender", ModelInput.ofTokens().withLengths(), List.of(
            new Embedding("emb", 12, 8, Initializer.EMBEDDING),
            new PositionalEncoding("pe", 64, true),
            new TransformerEncoder("block", 2, 16, 1e-5, false),
            new TransformerEncoder("pre_block", 4, 8, 1e-6, true, true, FeedForwardActivation.GELU),
            new MultiHeadAttention("mha", 2, 3, true),
            new LayerNormalization("ln", 1e-4, true, false),
            new Attention("dot", AttentionScore.DOT, 0, false),
            new Attention("gen", AttentionScore.GENERAL, 0, true),
            new Attention("add", AttentionScore.ADDITIVE, 5, false),
            new Attention("scaled", AttentionScore.SCALED_DOT, 0, false),
            new GlobalAveragePooling("pool"),
            new Dense("out", 3, Activation.SOFTMAX, true))),
            new MajorityTokensTask(12, 3, 2, 9, 100, 0.3), cce, base.export(), base.tolerances()),
        new Recipe("kinds-seq2seq-rnn", "", 6, new Seq2Seq("s2s", 45, 15, 16,
            new RnnEncoder(Cell.GRU, 24), new RnnDecoder(Cell.GRU, 24, AttentionScore.ADDITIVE, 12), 40, 11),
            new DatesTask(500, 0.2, 0.1), cce, base.export(), base.tolerances()),
        new Recipe("kinds-seq2seq-plain", "", 6, new Seq2Seq("s2s", 45, 15, 16,
            new RnnEncoder(Cell.LSTM, 24), new RnnDecoder(Cell.LSTM, 24, null, 0), 40, 11),
            new DatesTask(500, 0.2, 0.1), cce, base.export(), base.tolerances()),
        new Recipe("kinds-transformer", "", 7, new Seq2Seq("tr", 45, 15, 16,
            new TransformerStack(2, 4, 32, 1e-5), new TransformerStack(1, 2, 24, 1e-6), 48, 12),
            new DatesTask(500, 0.2, 0.1), cce, base.export(), base.tolerances()),
        new Recipe("kinds-word2vec", "", 8, new Word2Vec("w2v", new GrammarCorpusTask(10).vocabulary(), 12,
            Word2Vec.Architecture.SKIP_GRAM, 2, Word2Vec.Objective.NEGATIVE_SAMPLING, 4),
            new GrammarCorpusTask(300), new TrainingSpec(Loss.BINARY_CROSSENTROPY, OptimizerKind.ADAM, 0.01, 2, 64),
            base.export(), base.tolerances()),
        new Recipe("kinds-flatten", "", 9, new Sequential("flat", 1, List.of(Lstm.builder("lstm", 3).returnSequences(true).build(),
            new Flatten("flatten", 5), new Dense("out", 1, Activation.LINEAR, true))), base.data(), base.training(), base.export(),
            base.tolerances()),
        new Recipe("kinds-addition", "", 4, new Sequential("adder", 2, List.of(
            SimpleRnn.builder("rnn", 16).activation(Activation.SIGMOID).useBias(false).returnSequences(true).build(),
            new TimeDistributed("out", new Dense("d", 1, Activation.SIGMOID, false)))),
            new BinaryAdditionTask(8, 100, 10), new TrainingSpec(Loss.MSE, OptimizerKind.SGD, 0.1, 1, 1), base.export(),
            base.tolerances()));
  }

  @Test
  void everyLayerKindRoundTripsWithNonDefaultOptions() {
    java.util.Set<String> used = new java.util.TreeSet<>();
    for (Recipe r : everyKind()) {
      assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round-trip"), RecipeCodec.write(r));
      if (r.model() instanceof Sequential s) {
        s.layers().forEach(l -> used.add(l.kind()));
      }
    }
    assertEquals(new java.util.TreeSet<>(RecipeCodec.layerKinds()), used, "every layer kind is exercised");
  }

  @Test
  void defaultsLayerNamesKerasStyle() {
    Recipe r = RecipeCodec.parse(MINIMAL.replace("  - type: dense\n      units: 1",
        "  - type: dense\n      units: 1\n    - type: dense\n      units: 1"), "two-dense");
    assertEquals(List.of("lstm", "dense", "dense_1"), r.sequential().layers().stream().map(Layer::name).toList());
  }

  @Test
  void unknownLayerNamesTheFieldAndTheChoices() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("type: dense", "type: conv2d"), "bad.yaml"));
    assertEquals("model.layers[1].type", e.field());
    assertTrue(e.getMessage().contains("bad.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[dense, simple_rnn, lstm, gru, "), e.getMessage());
    assertTrue(e.getMessage().contains("transformer_encoder"), e.getMessage());
  }

  @Test
  void transformerEncoderNormFirstAndActivationAreReadAndWrittenOnlyWhenNotTheDefault() {
    String encoder = "  - type: transformer_encoder\n      heads: 1\n      ff_dim: 8\n";
    String text = MINIMAL.replace("  - type: lstm\n", encoder + "    - type: lstm\n");
    Recipe plain = RecipeCodec.parse(text, "plain.yaml");
    TransformerEncoder t = (TransformerEncoder) plain.sequential().layers().get(0);
    assertEquals(List.of(false, FeedForwardActivation.RELU), List.of(t.normFirst(), t.activation()));
    assertTrue(!RecipeCodec.write(plain).contains("norm_first") && !RecipeCodec.write(plain).contains("activation: relu"),
        RecipeCodec.write(plain));
    Recipe pre = RecipeCodec.parse(text.replace(encoder, encoder + "      norm_first: true\n      activation: gelu\n"), "pre.yaml");
    t = (TransformerEncoder) pre.sequential().layers().get(0);
    assertEquals(List.of(true, FeedForwardActivation.GELU), List.of(t.normFirst(), t.activation()));
    assertTrue(RecipeCodec.write(pre).contains("norm_first: true") && RecipeCodec.write(pre).contains("activation: gelu"),
        RecipeCodec.write(pre));
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(text.replace(encoder, encoder + "      activation: swish\n"), "bad.yaml"));
    assertEquals("model.layers[0].activation", e.field());
    assertTrue(e.getMessage().contains("bad.yaml") && e.getMessage().contains("swish") && e.getMessage().contains("[relu, gelu]"),
        e.getMessage());
  }

  @Test
  void missingFieldIsNamed() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("epochs: 2, ", ""), "bad.yaml"));
    assertEquals("training.epochs", e.field());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void mistypedFieldIsNamed() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 4", "units: four"), "bad.yaml"));
    assertEquals("model.layers[0].units", e.field());
    assertTrue(e.getMessage().contains("expected an integer"), e.getMessage());
  }

  @Test
  void negativeSizeIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 4", "units: -4"), "bad.yaml"));
    assertTrue(e.getMessage().contains("units is -4, expected a positive integer"), e.getMessage());
    assertTrue(e.field().startsWith("model.layers[0]"), e.field());
  }

  @Test
  void misspeltFieldIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("batch_size", "batchsize"), "bad.yaml"));
    assertEquals("training.batch_size", e.field());
    assertTrue(e.getMessage().contains("[batchsize]"), e.getMessage());
    e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("seed: 7", "seed: 7\nseeed: 8"), "bad.yaml"));
    assertEquals("seeed", e.field());
  }

  @Test
  void fieldsGivenTwiceAndContentAfterTheRecipeAreRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("seed: 7", "seed: 7\nseed: 8"), "twice.yaml"));
    assertEquals("seed", e.field());
    assertEquals("twice.yaml: field 'seed': appears twice (line 3), expected each field once", e.getMessage());
    e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 1", "units: 1\n      units: 2"), "twice.yaml"));
    assertEquals("twice.yaml: field 'model.layers[1].units': appears twice (line 10), expected each field once",
        e.getMessage());
    e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL + "---\nname: second\n", "two.yaml"));
    assertTrue(e.getMessage().matches("two\\.yaml: is not valid YAML: content after the root value at line \\d+, column 1,"
        + " expected the end of the file"), e.getMessage());
  }

  @Test
  void malformedYamlAndMissingFile(@TempDir Path dir) throws Exception {
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse("name: [unclosed", "broken.yaml"));
    assertTrue(e.getMessage().startsWith("broken.yaml: is not valid YAML"), e.getMessage());
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(MINIMAL.replace("units: 1", "units: 1\n    units: 2"), "indent.yaml"));
    assertEquals("indent.yaml: is not valid YAML: while parsing a block collection; expected <block end>, but found"
        + " '?' at line 10, column 5", e.getMessage());
    Path missing = dir.resolve("nope.yaml");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.read(missing));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Path list = dir.resolve("list.yaml");
    Files.writeString(list, "- 1\n- 2\n");
    e = assertThrows(RecipeException.class, () -> RecipeCodec.read(list));
    assertTrue(e.getMessage().contains("expected a mapping"), e.getMessage());
  }

  @Test
  void stateFromAMiddleLayerIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(MINIMAL.replace("units: 4", "units: 4\n      return_state: true"), "bad.yaml"));
    assertTrue(e.getMessage().contains("only the last layer"), e.getMessage());
  }

  @Test
  void denseAfterAnLstmWithoutSequencesCannotFeedAnotherLstm() {
    RecipeException e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(
        MINIMAL.replace("  - type: dense\n      units: 1", "  - type: lstm\n      units: 2"), "bad.yaml"));
    assertTrue(e.getMessage().contains("expects a sequence input"), e.getMessage());
  }
}

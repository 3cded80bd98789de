package dev.rnnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.cli.ModelSummary;
import dev.rnnx.onnx.OnnxConverters;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.RefLayers;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.GlobalMaxPooling;
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
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.tf.TfForm;
import dev.rnnx.tf.TfForms;
import dev.rnnx.tf.TfLayers;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step of the "add a layer kind" checklist (docs/ARCHITECTURE.md), for every layer kind a
 * recipe can name: the {@code spec} record round-trips through the recipe codec; the TensorFlow
 * builder exists and runs; the initial weights hold exactly the layer's parameters; the ONNX
 * converter exports it; the reference forward runs and agrees with TensorFlow; {@code rnnx summary}
 * prints its line with its parameter count. Each kind has one small example below: a kind a
 * recipe can name without an example here fails {@link #everyLayerKindHasAnExample}.
 */
class LayerFacesTest {

  private static final int BATCH = 2;
  private static final int TIME = 5;
  private static final int FEATURES = 4;
  private static final int VOCABULARY = 7;

  /** One small valid layer per kind, after the input it reads. */
  private record Example(ModelInput input, Layer layer) {
    Sequential model() {
      return new Sequential("faces_" + layer.kind(), input, List.of(layer));
    }

    Shape inputShape() {
      return model().layerInputShapes().get(0);
    }

    @Override
    public String toString() {
      return layer.kind();
    }
  }

  private static final Map<String, Example> EXAMPLES = examples();

  private static Map<String, Example> examples() {
    ModelInput floats = ModelInput.ofFeatures(FEATURES);
    Map<String, Example> m = new LinkedHashMap<>();
    for (Layer layer : List.of(
        new Dense("dense", 3, Activation.TANH, true),
        SimpleRnn.builder("simple_rnn", 3).returnSequences(true).build(),
        Lstm.builder("lstm", 3).peephole(true).returnState(true).build(),
        Gru.builder("gru", 3).returnSequences(true).build(),
        new Bidirectional("bidirectional", Gru.builder("inner", 2).returnSequences(true).build(), MergeMode.CONCAT),
        new TimeDistributed("time_distributed", new Dense("d", 2, Activation.SOFTMAX, true)),
        new LayerNormalization("layer_normalization", 1e-3, true, true),
        new PositionalEncoding("positional_encoding", 16, true),
        new Attention("attention", AttentionScore.ADDITIVE, 5, false),
        new MultiHeadAttention("multi_head_attention", 2, 3, true),
        new TransformerEncoder("transformer_encoder", 2, 6, 1e-5, false),
        new GlobalAveragePooling("global_average_pooling"), new GlobalMaxPooling("global_max_pooling"),
        new dev.rnnx.spec.Flatten("flatten", TIME),
        Normalization.unfitted("normalization", true).fit(new double[] {1.5, -2, 300, 0}, new double[] {4, 0.25, 90, 0}))) {
      m.put(layer.kind(), new Example(floats, layer));
    }
    Layer embedding = new Embedding("embedding", VOCABULARY, FEATURES, Initializer.EMBEDDING);
    m.put(embedding.kind(), new Example(ModelInput.ofTokens(), embedding));
    return m;
  }

  static Stream<Example> examplesOfEveryKind() {
    return EXAMPLES.values().stream();
  }

  @Test
  void everyLayerKindHasAnExample() {
    assertEquals(new TreeSet<>(RecipeCodec.layerKinds()), new TreeSet<>(EXAMPLES.keySet()), "examples");
  }

  @Test
  void everyLayerKindHasEveryFaceTable() {
    TreeSet<String> kinds = new TreeSet<>(RecipeCodec.layerKinds());
    assertEquals(kinds, new TreeSet<>(TfLayers.kinds()), "tf builders");
    assertEquals(kinds, new TreeSet<>(OnnxConverters.kinds()), "onnx converters");
    assertEquals(kinds, new TreeSet<>(RefLayers.kinds()), "ref forwards");
  }

  /** Step 1: the record, read back from its recipe YAML. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesOfEveryKind")
  void recordRoundTripsThroughTheRecipeCodec(Example e) {
    String yaml = LayerYaml.write(e.layer());
    assertTrue(yaml.contains("type: \"" + e.layer().kind() + "\""), yaml);
    assertEquals(e.layer(), LayerYaml.read(yaml), yaml);
  }

  /** Step 2: the initial weights hold exactly the layer's parameters, shaped as declared. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesOfEveryKind")
  void initialWeightsHaveTheParameterShapes(Example e) {
    List<ParameterSpec> params = e.layer().parameters(e.inputShape());
    Weights w = InitialWeights.generate(e.model(), 11);
    assertEquals(params.stream().map(ParameterSpec::name).toList(), w.names());
    long scalars = 0;
    for (ParameterSpec p : params) {
      FloatTensor t = w.get(p.name());
      assertArrayEquals(Arrays.stream(p.shape()).asLongStream().toArray(), t.shape(), p.name());
      assertEquals(-1, t.firstNonFinite(), p.name());
      scalars += t.size();
    }
    assertEquals(e.layer().parameterCount(e.inputShape()), scalars);
  }

  /** Steps 3 and 5: the TensorFlow builder and the reference forward run it, and agree. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesOfEveryKind")
  void tensorFlowAndReferenceComputeTheDeclaredOutputs(Example e) {
    assertEquals(e.layer().kind(), TfLayers.builder(e.layer().kind()).kind());
    assertNotNull(RefLayers.forward(e.layer()));
    Sequential model = e.model();
    Weights w = InitialWeights.generate(model, 12);
    Map<String, Tensor> inputs = Map.of(Sequential.INPUT, input(e.input()));
    Map<String, DoubleTensor> ref = ReferenceForms.of(model, w).get(ModelForm.MODEL).forward(inputs);
    Map<String, FloatTensor> tf;
    try (TfForms forms = TfForms.build(model, w)) {
      tf = forms.form(ModelForm.MODEL).run(inputs);
    }
    List<Shape> declared = e.layer().outputShapes(e.inputShape());
    assertEquals(model.outputs().stream().map(o -> o.name()).toList(), List.copyOf(ref.keySet()), "ref outputs");
    assertEquals(List.copyOf(ref.keySet()), List.copyOf(tf.keySet()), "tf outputs");
    for (int i = 0; i < declared.size(); i++) {
      String name = model.outputs().get(i).name();
      long[] shape = concrete(declared.get(i));
      assertArrayEquals(shape, ref.get(name).shape(), "ref " + name);
      assertArrayEquals(shape, tf.get(name).shape(), "tf " + name);
      double[] r = ref.get(name).data();
      float[] t = tf.get(name).data();
      for (int j = 0; j < r.length; j++) {
        assertEquals(r[j], t[j], 1e-4 + 1e-4 * Math.abs(r[j]), name + "[" + j + "]");
      }
    }
  }

  /** Step 4: the ONNX converter exports it, with the model's outputs. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesOfEveryKind")
  void onnxConverterExportsIt(Example e) {
    Sequential model = e.model();
    int opset = Math.max(ExportSpec.DEFAULT_OPSET, OnnxConverters.minimumOpset(e.layer().kind()));
    OnnxMl.ModelProto onnx = OnnxExporter.export(model, InitialWeights.generate(model, 13), opset, provenance()).get(ModelForm.MODEL);
    assertEquals(model.outputs().stream().map(o -> o.name()).toList(),
        onnx.getGraph().getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
    assertTrue(onnx.getGraph().getNodeList().stream().anyMatch(n -> n.getName().startsWith(e.layer().name())),
        "a node named after layer '" + e.layer().name() + "'");
  }

  /** Keras's class name of each kind, as {@code rnnx summary} writes the layer type. */
  private static final Map<String, String> KERAS_NAMES = Map.ofEntries(
      Map.entry("dense", "Dense"), Map.entry("simple_rnn", "SimpleRNN"), Map.entry("lstm", "LSTM"),
      Map.entry("gru", "GRU"), Map.entry("bidirectional", "Bidirectional"),
      Map.entry("time_distributed", "TimeDistributed"), Map.entry("layer_normalization", "LayerNormalization"),
      Map.entry("positional_encoding", "PositionalEncoding"), Map.entry("attention", "AdditiveAttention"),
      Map.entry("multi_head_attention", "MultiHeadAttention"), Map.entry("transformer_encoder", "TransformerEncoder"),
      Map.entry("global_average_pooling", "GlobalAveragePooling1D"), Map.entry("global_max_pooling", "GlobalMaxPooling1D"),
      Map.entry("embedding", "Embedding"), Map.entry("normalization", "Normalization"), Map.entry("flatten", "Flatten"));

  /** Step 6: {@code rnnx summary} prints the layer's line, its type as Keras names it, with its parameter count. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examplesOfEveryKind")
  void summaryLineCountsTheParameters(Example e) {
    assertEquals(KERAS_NAMES.get(e.layer().kind()), e.layer().typeName(), "the type rnnx summary prints");
    long count = e.layer().parameters(e.inputShape()).stream().mapToLong(ParameterSpec::size).sum();
    String line = ModelSummary.table(e.model()).lines()
        .filter(l -> l.startsWith(e.layer().name() + " (" + e.layer().typeName() + ")")).findFirst().orElseThrow();
    assertTrue(line.contains(e.layer().outputShapes(e.inputShape()).get(0).toString()), line);
    assertTrue(line.endsWith(" " + String.format(Locale.ROOT, "%,d", count)), line);
  }

  /** A declared shape with the batch and time axes filled in. */
  private static long[] concrete(Shape s) {
    long[] dims = new long[s.rank()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.dim(i) != Shape.DYNAMIC ? s.dim(i) : i == 0 ? BATCH : TIME;
    }
    return dims;
  }

  private static Tensor input(ModelInput in) {
    Random random = new Random(3);
    if (in.tokens()) {
      long[] ids = random.longs(BATCH * TIME, 0, VOCABULARY).toArray();
      return LongTensor.of(ids, BATCH, TIME);
    }
    float[] x = new float[BATCH * TIME * FEATURES];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return FloatTensor.of(x, BATCH, TIME, FEATURES);
  }

  static Provenance provenance() {
    return new Provenance("faces", "name: faces\n", 1L, Map.of("rnnx", "test"), Map.of());
  }
}

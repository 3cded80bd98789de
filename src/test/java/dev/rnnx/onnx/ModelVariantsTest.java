package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtSession;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.ref.onnx.Values;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.verify.Criterion;
import dev.rnnx.verify.ElementwiseComparison;
import dev.rnnx.verify.VariantBudgets;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lightweight variants ({@link ModelVariants}) of trained and seeded models: each passes the
 * ONNX checker, runs on ONNX Runtime's CPU provider and on the pure-Java reference evaluator, and
 * stays within its budget ({@link VariantBudgets}) of the float32 reference's outputs; fp16 and int8
 * files hold about a half and a quarter of the float32 weight bytes.
 *
 * <p>Trained models are the zoo's committed golden sets ({@code models/golden/<recipe>}: the default
 * recipe sine-lstm, gru-sine, and majority-classifier with an embedding, lengths and softmax),
 * whose outputs are the {@code ref} backend's; the Transformer and the wide LSTM have seeded weights
 * and the reference forward ({@link ReferenceModel}) as truth.
 */
class ModelVariantsTest {

  /** A model, its inputs and the float32 reference's outputs. */
  record Subject(String name, OnnxMl.ModelProto fp32, List<Map<String, Value>> inputs, List<Map<String, Value>> reference) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> variants() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (Subject s : List.of(golden("sine-lstm"), golden("gru-sine"), golden("majority-classifier"), transformer(),
        preNormGelu(), wideLstm())) {
      for (ModelVariant v : ModelVariant.values()) {
        out.add(Arguments.of(s, v));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void variantRunsOnOrtAndTheEvaluatorWithinItsBudget(Subject s, ModelVariant v) throws Exception {
    ModelVariants.Variant variant = ModelVariants.transform(s.fp32(), v);
    OnnxChecker.check(variant.model());
    assertEquals(v, ModelVariants.variantOf(variant.model()));
    Criterion budget = VariantBudgets.of(v);
    OnnxEvaluator evaluator = new OnnxEvaluator(variant.model());
    double worstOrt = 0;
    double worstRef = 0;
    for (int c = 0; c < s.inputs().size(); c++) {
      Map<String, Value> ort = OrtValues.run(variant.model(), s.inputs().get(c));
      Map<String, Value> ref = evaluator.run(s.inputs().get(c));
      for (var e : s.reference().get(c).entrySet()) {
        FloatTensor want = tensor(e.getValue());
        ElementwiseComparison onOrt = ElementwiseComparison.compare("case" + c, "ref", "ort", e.getKey(), want,
            tensor(ort.get(e.getKey())), budget, false);
        ElementwiseComparison onRef = ElementwiseComparison.compare("case" + c, "ref", "ref-onnx", e.getKey(), want,
            tensor(ref.get(e.getKey())), budget, false);
        assertTrue(onOrt.passed(), s + " " + v + " on ORT, case " + c + " " + e.getKey() + ": max abs err "
            + onOrt.maxAbsErr() + ", " + onOrt.failing() + " elements over " + budget.describe());
        assertTrue(onRef.passed(), s + " " + v + " on the evaluator, case " + c + " " + e.getKey() + ": max abs err "
            + onRef.maxAbsErr() + " over " + budget.describe());
        worstOrt = Math.max(worstOrt, onOrt.maxAbsErr());
        worstRef = Math.max(worstRef, onRef.maxAbsErr());
      }
    }
    assertTrue(worstOrt > 0, s + " " + v + ": the variant changes the outputs (it rounds the weights)");
    System.out.printf(Locale.ROOT, "variant %s %s: max abs err vs fp32 ref: ort %.3e, ref-onnx %.3e; weight bytes %d -> %d"
        + " (%.3f); file %d -> %d bytes%n", s, v, worstOrt, worstRef, variant.sourceWeightBytes(), variant.weightBytes(),
        variant.weightRatio(), s.fp32().getSerializedSize(), variant.model().getSerializedSize());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("weightDominated")
  void weightDominatedFilesShrinkToAboutAHalfAndAQuarter(Subject s, @TempDir Path dir) throws Exception {
    Path fp32 = dir.resolve("model.onnx");
    OnnxExporter.write(s.fp32(), fp32);
    for (ModelVariant v : ModelVariant.values()) {
      ModelVariants.Variant variant = ModelVariants.transform(s.fp32(), v);
      Path file = dir.resolve(v.siblingName("model.onnx"));
      ModelVariants.write(variant, file);
      double ratio = (double) Files.size(file) / Files.size(fp32);
      double weights = variant.weightRatio();
      // weights: a half (float16), a quarter plus the float32 scales, biases and norms (int8); the file
      // also holds the graph, which int8 grows most (four nodes per MatMul)
      boolean ok = v == ModelVariant.FP16 ? Math.abs(weights - 0.5) < 0.01 && ratio < 0.55
          : weights > 0.25 && weights < 0.31 && ratio < 0.37;
      assertTrue(ok, s + " " + v + ": weight bytes ratio " + weights + ", file " + Files.size(file) + " of "
          + Files.size(fp32) + " bytes, ratio " + ratio);
    }
  }

  static Stream<Subject> weightDominated() {
    return Stream.of(transformer(), wideLstm());
  }

  @Test
  void provenanceIsKeptAndTheTransformationRecorded() throws Exception {
    Subject s = golden("sine-lstm");
    ModelVariants.Variant v = ModelVariants.transform(s.fp32(), ModelVariant.INT8, ModelVariants.Options.DEFAULT,
        "model.onnx");
    Map<String, String> before = metadata(s.fp32());
    Map<String, String> after = metadata(v.model());
    before.forEach((k, val) -> assertEquals(val, after.get(k), k));
    assertEquals("int8", after.get(ModelVariants.KEY_VARIANT));
    assertEquals("fp32", after.get(ModelVariants.KEY_PRECISION));
    assertEquals("dynamic-int8", after.get(ModelVariants.KEY_QUANTIZATION));
    assertEquals("model.onnx", after.get(ModelVariants.KEY_SOURCE));
    assertEquals(64, after.get(ModelVariants.KEY_SOURCE_SHA256).length());
    assertTrue(after.get(ModelVariants.KEY_SCHEME).contains("DynamicQuantizeLinear"), after.get(ModelVariants.KEY_SCHEME));
    Map<String, String> half = metadata(ModelVariants.transform(s.fp32(), ModelVariant.FP16).model());
    assertEquals("fp16", half.get(ModelVariants.KEY_PRECISION));
    assertEquals("none", half.get(ModelVariants.KEY_QUANTIZATION));
    IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
        () -> ModelVariants.transform(v.model(), ModelVariant.FP16));
    assertTrue(again.getMessage().contains("already an rnnx int8 variant"), again.getMessage());
  }

  @Test
  void int8RewritesMatMulsAndStoresRecurrentWeightsAsInt8() {
    OnnxMl.ModelProto m = ModelVariants.transform(transformer().fp32(), ModelVariant.INT8).model();
    List<String> ops = m.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
    assertTrue(ops.contains("DynamicQuantizeLinear") && ops.contains("MatMulInteger"), ops.toString());
    assertFalse(ops.contains("MatMul") && m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("MatMul"))
        .anyMatch(n -> isInitializer(m, n.getInput(1))), "no float32 MatMul reads a weight initializer");
    OnnxMl.ModelProto lstm = ModelVariants.transform(golden("sine-lstm").fp32(), ModelVariant.INT8).model();
    long int8 = lstm.getGraph().getInitializerList().stream()
        .filter(t -> t.getDataType() == OnnxMl.TensorProto.DataType.INT8_VALUE).count();
    assertTrue(int8 >= 3, "LSTM W, R and the dense kernel are int8: " + int8);
    assertTrue(lstm.getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("LSTM")), "LSTM stays one node");
  }

  @Test
  void onnxRuntimeFoldsTheFp16LoadCastsAtItsDefaultLevel(@TempDir Path dir) throws Exception {
    OnnxMl.ModelProto m = ModelVariants.transform(wideLstm().fp32(), ModelVariant.FP16).model();
    long casts = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
    assertTrue(casts >= 5, "a load Cast per float16 weight: " + casts);
    Path optimized = dir.resolve("optimized.onnx");
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
      o.setOptimizedModelFilePath(optimized.toString());
      try (OrtSession session = OrtRunner.env().createSession(m.toByteArray(), o)) {
        assertEquals(List.of("input"), List.copyOf(session.getInputNames()));
      }
    }
    OnnxMl.ModelProto ran = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(optimized));
    assertEquals(0, ran.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count(),
        "constant folding turned the float16 weights back into float32 constants at load");
  }

  @Test
  void onnxRuntimeFusesTheInt8ChainsAndFoldsTheStoredWeights(@TempDir Path dir) throws Exception {
    List<String> transformer = opsOnnxRuntimeRuns(ModelVariants.transform(transformer().fp32(), ModelVariant.INT8).model(),
        dir.resolve("transformer.onnx"));
    System.out.println("int8 Transformer as ONNX Runtime runs it at ALL_OPT: " + new TreeSet<>(transformer));
    // one quantised input read by one projection: DynamicQuantizeMatMul; shared by Q, K and V:
    // DynamicQuantizeLinear once, then MatMulIntegerToFloat per projection
    assertTrue(transformer.contains("DynamicQuantizeMatMul") && transformer.contains("MatMulIntegerToFloat"),
        transformer.toString());
    assertFalse(transformer.contains("MatMulInteger"), "every int8 chain is fused: " + transformer);
    // the int8-stored recurrent weights become float32 constants at load: the recurrent kernels see constants
    List<String> recurrent = opsOnnxRuntimeRuns(ModelVariants.transform(wideLstm().fp32(), ModelVariant.INT8).model(),
        dir.resolve("lstm.onnx"));
    assertEquals(List.of("Transpose", "LSTM", "Squeeze", "GRU", "Squeeze", "DynamicQuantizeMatMul", "Add"), recurrent);
  }

  /** The op types of the model ONNX Runtime runs after its graph optimisations (ALL_OPT). */
  private static List<String> opsOnnxRuntimeRuns(OnnxMl.ModelProto m, Path optimized) throws Exception {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setOptimizedModelFilePath(optimized.toString());
      try (OrtSession session = OrtRunner.env().createSession(m.toByteArray(), o)) {
        assertFalse(session.getInputNames().isEmpty());
      }
    }
    return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(optimized)).getGraph().getNodeList().stream()
        .map(OnnxMl.NodeProto::getOpType).toList();
  }

  @Test
  void fp16StoresHalfWeightsAndInt8NeedsOpset11() {
    OnnxMl.ModelProto m = ModelVariants.transform(wideLstm().fp32(), ModelVariant.FP16).model();
    assertTrue(m.getGraph().getInitializerList().stream()
        .anyMatch(t -> t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT16_VALUE));
    Sequential model = lstmModel(4);
    OnnxMl.ModelProto old = OnnxExporter.export(model, TestModels.randomWeights(model, 3, 1), 10, TestModels.provenance()).get("model");
    OnnxExportException e = assertThrows(OnnxExportException.class, () -> ModelVariants.transform(old, ModelVariant.INT8));
    assertTrue(e.getMessage().contains("needs opset 11"), e.getMessage());
    OnnxMl.ModelProto at11 = OnnxExporter.export(model, TestModels.randomWeights(model, 3, 1), 11, TestModels.provenance()).get("model");
    OnnxChecker.check(ModelVariants.transform(at11, ModelVariant.INT8).model());
    assertEquals(ModelVariant.FP16, ModelVariants.variantOf(ModelVariants.transform(old, ModelVariant.FP16).model()));
  }

  private static boolean isInitializer(OnnxMl.ModelProto m, String name) {
    return m.getGraph().getInitializerList().stream().anyMatch(t -> t.getName().equals(name));
  }

  private static Map<String, String> metadata(OnnxMl.ModelProto m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.getMetadataPropsList().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** A zoo model trained by its recipe, with its golden inputs and the reference's outputs. */
  static Subject golden(String recipe) {
    Path dir = Path.of("models", "golden", recipe);
    List<Map<String, Value>> inputs = new ArrayList<>();
    List<Map<String, Value>> outputs = new ArrayList<>();
    for (Path set : TestDataSet.find(dir)) {
      TestDataSet d = TestDataSet.read(set);
      inputs.add(Values.of(d.inputs()));
      outputs.add(Values.of(d.outputs()));
    }
    return new Subject(recipe + " (trained)", OnnxModels.read(dir.resolve("model.onnx")), inputs, outputs);
  }

  /** Tokens → embedding → positional encoding → 2 Transformer blocks → pooling → softmax, seeded. */
  static Subject transformer() {
    Sequential model = new Sequential("transformer", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("emb", 128, 64, Initializer.EMBEDDING), new PositionalEncoding("pe", 32, true),
        new TransformerEncoder("block_0", 4, 128, 1e-3, false), new TransformerEncoder("block_1", 4, 128, 1e-3, false),
        new GlobalAveragePooling("pool"), new Dense("dense", 5, Activation.SOFTMAX, true)));
    return seeded("transformer (seeded)", model);
  }

  /** Tokens → embedding → positional encoding → a pre-norm gelu block (its Erf and scalars) → final norm → pooling, seeded. */
  static Subject preNormGelu() {
    Sequential model = new Sequential("prenorm", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("emb", 32, 16, Initializer.EMBEDDING), new PositionalEncoding("pe", 32, true),
        new TransformerEncoder("block", 2, 32, 1e-5, false, true, FeedForwardActivation.GELU),
        new LayerNormalization("norm", 1e-5, true, true), new GlobalAveragePooling("pool"),
        new Dense("dense", 5, Activation.SOFTMAX, true)));
    return seeded("pre-norm gelu transformer (seeded)", model);
  }

  /** 8 features → LSTM(64) → GRU(64) → Dense(1), seeded: recurrent weights dominate. */
  static Subject wideLstm() {
    return seeded("lstm-gru (seeded)", lstmModel(64));
  }

  private static Sequential lstmModel(int units) {
    return new Sequential("lstm_gru", ModelInput.ofFeatures(8), List.of(Lstm.of("lstm", units, true),
        Gru.builder("gru", units).resetAfter(true).build(), new Dense("dense", 1, Activation.LINEAR, true)));
  }

  private static Subject seeded(String name, Sequential model) {
    Weights weights = TestModels.randomWeights(model, 11, 1.0);
    OnnxMl.ModelProto onnx = OnnxExporter.export(model, weights, 17, TestModels.provenance()).get("model");
    ReferenceModel ref = new ReferenceModel(model, weights);
    List<Map<String, Value>> inputs = new ArrayList<>();
    List<Map<String, Value>> outputs = new ArrayList<>();
    for (int[] bt : new int[][] {{1, 1}, {3, 10}, {6, 24}}) {
      Map<String, Tensor> in = TestModels.randomInputs(model, bt[0], bt[1], 100 + bt[1]);
      Map<String, Value> values = new LinkedHashMap<>();
      for (TensorSpec spec : model.inputs()) {
        values.put(spec.name(), value(in.get(spec.name()), spec.dtype()));
      }
      Map<String, Value> out = new LinkedHashMap<>();
      ref.run(in).forEach((k, t) -> out.put(k, Value.ofFloats(t.shape(), t.data())));
      inputs.add(values);
      outputs.add(out);
    }
    return new Subject(name, onnx, inputs, outputs);
  }

  private static Value value(Tensor t, DType type) {
    if (t instanceof FloatTensor f) {
      return Value.ofFloats(f.shape(), f.data());
    }
    LongTensor l = (LongTensor) t;
    return Value.ofLongs(type == DType.INT32 ? DataType.INT32 : DataType.INT64, l.shape(), l.data());
  }

  private static FloatTensor tensor(Value v) {
    return v == null ? null : new FloatTensor(v.shape(), v.toFloatArray());
  }
}

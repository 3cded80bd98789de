package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Re-measures every {@code onnxruntime-cpu} flag of {@code converters/runtimes.yaml} on the ORT on the classpath. */
class RuntimeCapabilitiesTest {

  private static final RuntimeCapabilities CAPS = RuntimeCapabilities.load();
  private static final String ORT = RuntimeCapabilities.ONNXRUNTIME_CPU;
  private static final int H = 3;
  private static final int I = 2;

  /** A bare LSTM node graph: input X, optional sequence_lens, outputs Y and Y_h. */
  private static OnnxMl.ModelProto lstmModel(int layout, boolean withLengths) {
    GraphBuilder g = new GraphBuilder("lstm", 17, OpsetTable.load());
    g.claim("X");
    g.graph().addInput(ValueInfos.valueInfo("X", Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, I))); // [T, B, I] or [B, T, I]
    List<String> inputs = new ArrayList<>(List.of("X",
        g.initializer("W", ramp(1, 4 * H, I)), g.initializer("R", ramp(1, 4 * H, H)), ""));
    if (withLengths) {
      g.claim("L");
      g.graph().addInput(OnnxMl.ValueInfoProto.newBuilder().setName("L").setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.INT32.getNumber())
              .setShape(OnnxMl.TensorShapeProto.newBuilder().addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder()
                  .setDimParam("batch")))))
          .build());
      inputs.add("L");
    }
    g.node("LSTM", "lstm", inputs, List.of("Y", "Y_h"), Attributes.integer("hidden_size", H),
        Attributes.integer("layout", layout));
    g.graph().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("Y").build());
    g.graph().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("Y_h").build());
    return OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g.graph()).build();
  }

  private static FloatTensor ramp(long... shape) {
    FloatTensor z = FloatTensor.zeros(shape);
    float[] d = z.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.sin(0.7 * i) * 0.5f;
    }
    return new FloatTensor(shape, d);
  }

  @Test
  void rnnLayout1() {
    boolean accepted;
    try (OrtSession s = OrtRunner.env().createSession(lstmModel(1, false).toByteArray())) {
      OrtRunner.run(s, Map.of("X", TestModels.randomInput(2, 4, I, 1)));
      accepted = true;
    } catch (OrtException e) {
      System.out.println("ORT on layout=1: " + e.getMessage());
      accepted = false;
    }
    assertEquals(CAPS.flag(ORT, "rnn_layout_1"), accepted);
  }

  @Test
  void lstmSequenceLensZeroFillsOutputs() throws Exception {
    int batch = 2;
    int time = 5;
    int[] lengths = {5, 2};
    FloatTensor x = TestModels.randomInput(time, batch, I, 3); // time-major [T, B, I]
    Map<String, FloatTensor> out;
    try (OrtSession s = OrtRunner.env().createSession(lstmModel(0, true).toByteArray());
        var xs = ai.onnxruntime.OnnxTensor.createTensor(OrtRunner.env(), java.nio.FloatBuffer.wrap(x.data()), x.shape());
        var ls = ai.onnxruntime.OnnxTensor.createTensor(OrtRunner.env(), java.nio.IntBuffer.wrap(lengths), new long[] {batch});
        OrtSession.Result r = s.run(Map.of("X", xs, "L", ls))) {
      float[] y = ((ai.onnxruntime.OnnxTensor) r.get("Y").orElseThrow()).getFloatBuffer().array();
      float[] yh = ((ai.onnxruntime.OnnxTensor) r.get("Y_h").orElseThrow()).getFloatBuffer().array();
      out = Map.of("Y", FloatTensor.of(y, time, 1, batch, H), "Y_h", FloatTensor.of(yh, 1, batch, H));
    }
    float[] y = out.get("Y").data();
    boolean zeros = true;
    for (int t = lengths[1]; t < time; t++) {
      for (int j = 0; j < H; j++) {
        zeros &= y[(t * batch + 1) * H + j] == 0f;
      }
    }
    assertEquals(CAPS.flag(ORT, "lstm_sequence_lens_zero_fills_outputs"), zeros);
    for (int j = 0; j < H; j++) { // Y_h holds the state at the last valid step
      assertEquals(y[((lengths[1] - 1) * batch + 1) * H + j], out.get("Y_h").data()[H + j]);
    }
  }

  @Test
  void lstmReluActivation() throws Exception {
    Sequential model = new Sequential("relu", 2, List.of(new Lstm("lstm", 4, true, false, Activation.RELU, Activation.SIGMOID, true)));
    Weights w = TestModels.randomWeights(model, 9, 1.0);
    FloatTensor x = TestModels.randomInput(2, 10, 2, 4);
    float[] got = OrtRunner.run(OnnxExporter.export(model, w, TestModels.provenance()).get("model"), "input", x).get("output").data();
    double[] want = KerasOracle.run(model, w, x).get("output").data();
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(want[i] - got[i]));
    }
    assertEquals(CAPS.flag(ORT, "lstm_relu_activation"), worst < 1e-5, "max abs err " + worst);
  }

  @Test
  void rnnReverseSequenceLens() throws Exception {
    // a bare RNN node, direction=reverse, identity-free weights: Y[t] must be the state after reading L-1 … t
    int batch = 3;
    int time = 4;
    int[] lengths = {4, 1, 2};
    GraphBuilder g = new GraphBuilder("rnn", 17, OpsetTable.load());
    g.claim("X");
    g.graph().addInput(ValueInfos.valueInfo("X", Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, I)));
    g.claim("L");
    g.graph().addInput(ValueInfos.valueInfo("L", Shape.of(Shape.DYNAMIC), dev.rnnx.spec.DType.INT32));
    FloatTensor w = ramp(1, H, I);
    FloatTensor r = ramp(1, H, H);
    g.node("RNN", "rnn", List.of("X", g.initializer("W", w), g.initializer("R", r), "", "L"), List.of("Y", "Y_h"),
        Attributes.integer("hidden_size", H), Attributes.string("direction", "reverse"));
    g.graph().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("Y").build());
    g.graph().addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("Y_h").build());
    OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(g.graph()).build();
    FloatTensor x = TestModels.randomInput(time, batch, I, 5); // time-major
    Map<String, FloatTensor> out = OrtRunner.run(model, Map.of("X", x,
        "L", dev.rnnx.spec.LongTensor.of(new long[] {4, 1, 2}, batch)));
    double worst = 0;
    for (int b = 0; b < batch; b++) {
      double[] h = new double[H];
      for (int t = time - 1; t >= 0; t--) {
        if (t < lengths[b]) {
          double[] next = new double[H];
          for (int j = 0; j < H; j++) {
            double z = 0;
            for (int i = 0; i < I; i++) {
              z += w.data()[j * I + i] * x.data()[(t * batch + b) * I + i];
            }
            for (int k = 0; k < H; k++) {
              z += r.data()[j * H + k] * h[k];
            }
            next[j] = Math.tanh(z);
          }
          h = next;
        }
        for (int j = 0; j < H; j++) {
          double want = t < lengths[b] ? h[j] : 0;
          worst = Math.max(worst, Math.abs(want - out.get("Y").data()[(t * batch + b) * H + j]));
          if (t == 0) {
            worst = Math.max(worst, Math.abs(h[j] - out.get("Y_h").data()[b * H + j]));
          }
        }
      }
    }
    assertEquals(CAPS.flag(ORT, "rnn_reverse_sequence_lens"), worst < 1e-6, "max abs err " + worst);
  }

  @Test
  void rnnExtendedActivations() throws Exception {
    boolean all = true;
    for (Activation a : List.of(Activation.HARD_SIGMOID, Activation.SOFTSIGN, Activation.SOFTPLUS, Activation.ELU)) {
      for (Sequential model : List.of(
          new Sequential("a", 2, List.of(SimpleRnn.builder("rnn", 3).activation(a).returnSequences(true).build())),
          new Sequential("a", 2, List.of(Gru.builder("gru", 3).recurrentActivation(a).activation(a).build())),
          new Sequential("a", 2, List.of(Lstm.builder("lstm", 3).recurrentActivation(Activation.SIGMOID).activation(a)
              .build())))) {
        Weights w = TestModels.randomWeights(model, 4, 1.0);
        FloatTensor x = TestModels.randomInput(2, 5, 2, 6);
        try {
          float[] got = OrtRunner.run(OnnxExporter.export(model, w, TestModels.provenance()).get("model"), "input", x).get("output").data();
          double[] want = KerasOracle.run(model, w, x).get("output").data();
          for (int i = 0; i < want.length; i++) {
            all &= Math.abs(want[i] - got[i]) < 1e-5;
          }
        } catch (OrtException e) {
          System.out.println("ORT refuses " + a + " in " + model.layers().get(0).kind() + ": " + e.getMessage());
          all = false;
        }
      }
    }
    assertEquals(CAPS.flag(ORT, "rnn_extended_activations"), all);
  }

  /** One Attention-23 node, 3-D inputs of 2 heads, with an optional bool mask of the given shape. */
  private static OnnxMl.ModelProto attentionModel(long[] maskShape) {
    GraphBuilder g = new GraphBuilder("attention", 23, OpsetTable.load());
    List<String> inputs = new ArrayList<>();
    for (String n : List.of("q", "k", "v")) {
      g.claim(n);
      g.input(ValueInfos.valueInfo(n, dev.rnnx.spec.DType.FLOAT32, "batch", "time", 4));
      inputs.add(n);
    }
    if (maskShape != null) {
      g.claim("m");
      g.input(ValueInfos.boolInfo("m", java.util.Arrays.stream(maskShape).boxed().toArray()));
      inputs.add("m");
    }
    g.node("Attention", "attention", inputs, List.of("y"), Attributes.integer("q_num_heads", 2),
        Attributes.integer("kv_num_heads", 2));
    g.output(ValueInfos.valueInfo("y", dev.rnnx.spec.DType.FLOAT32, "batch", "time", 4));
    return OnnxMl.ModelProto.newBuilder().setIrVersion(11)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(23)).setGraph(g.graph()).build();
  }

  private static boolean attentionRuns(long[] maskShape) {
    Map<String, dev.rnnx.ref.onnx.Value> feeds = new java.util.LinkedHashMap<>();
    for (String n : List.of("q", "k", "v")) {
      feeds.put(n, dev.rnnx.ref.onnx.Value.ofFloats(new long[] {2, 3, 4}, TestModels.randomInput(2, 3, 4, n.hashCode()).data()));
    }
    if (maskShape != null) {
      int size = (int) java.util.Arrays.stream(maskShape).reduce(1, (a, b) -> a * b);
      long[] ones = new long[size];
      java.util.Arrays.fill(ones, 1);
      ones[0] = 0;
      feeds.put("m", dev.rnnx.ref.onnx.Value.ofLongs(dev.rnnx.ref.onnx.DataType.BOOL, maskShape, ones));
    }
    try {
      Map<String, dev.rnnx.ref.onnx.Value> want = new dev.rnnx.ref.onnx.OnnxEvaluator(attentionModel(maskShape)).run(feeds);
      Map<String, dev.rnnx.ref.onnx.Value> got = OrtValues.run(attentionModel(maskShape), feeds);
      double worst = 0;
      for (int i = 0; i < want.get("y").size(); i++) {
        worst = Math.max(worst, Math.abs(want.get("y").getDouble(i) - got.get("y").getDouble(i)));
      }
      return worst < 1e-5;
    } catch (OrtException e) {
      System.out.println("ORT on Attention with mask " + java.util.Arrays.toString(maskShape) + ": " + e.getMessage());
      return false;
    }
  }

  @Test
  void attentionOperator() {
    assertEquals(CAPS.flag(ORT, "attention_op_opset_23"), attentionRuns(null) && attentionRuns(new long[] {2, 1, 3, 3}));
  }

  @Test
  void attentionMaskQueryAxisBroadcast() {
    assertEquals(CAPS.flag(ORT, "attention_mask_query_axis_broadcast"), attentionRuns(new long[] {2, 1, 1, 3}));
  }

  @Test
  void optimizerKeepsShapeGuards() {
    Sequential one = new Sequential("pe", 4, List.of(new dev.rnnx.spec.PositionalEncoding("pe", 1, false)));
    OnnxMl.ModelProto model = OnnxExporter.export(one, new Weights(Map.of()), 17, TestModels.provenance()).get("model");
    boolean refused;
    try {
      OrtRunner.run(model, Map.of("input", TestModels.randomInput(1, 3, 4, 5)));
      refused = false;
    } catch (OrtException e) {
      refused = true;
    }
    assertEquals(CAPS.flag(ORT, "optimizer_keeps_shape_guards"), refused);
  }

  @Test
  void everyFlagIsMeasuredHere() {
    assertEquals(List.of(ORT), CAPS.runtimes());
    assertEquals(List.of("rnn_layout_1", "lstm_sequence_lens_zero_fills_outputs", "lstm_relu_activation",
        "rnn_reverse_sequence_lens", "rnn_extended_activations", "attention_op_opset_23",
        "attention_mask_query_axis_broadcast", "optimizer_keeps_shape_guards", "fp16_cpu_compute_kernels"), List.copyOf(CAPS.flags(ORT).keySet()));
    // the ORT jar ships META-INF/maven/.../pom.xml but no pom.properties, so ask the runtime itself
    assertEquals(OrtRunner.env().getVersion(), CAPS.version(ORT));
  }

  @Test
  void unknownNamesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CAPS.flag("tensorrt", "x"));
    assertEquals("unknown runtime 'tensorrt', expected one of [onnxruntime-cpu]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CAPS.flag(ORT, "x"));
    assertEquals("runtime 'onnxruntime-cpu' has no flag 'x', expected one of [rnn_layout_1,"
        + " lstm_sequence_lens_zero_fills_outputs, lstm_relu_activation, rnn_reverse_sequence_lens,"
        + " rnn_extended_activations, attention_op_opset_23, attention_mask_query_axis_broadcast,"
        + " optimizer_keeps_shape_guards, fp16_cpu_compute_kernels]", e.getMessage());
  }
}

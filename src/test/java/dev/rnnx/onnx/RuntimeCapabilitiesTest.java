package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
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
    g.graph().addInput(GraphBuilder.valueInfo("X", Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, I))); // [T, B, I] or [B, T, I]
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
    g.node("LSTM", "lstm", inputs, List.of("Y", "Y_h"), GraphBuilder.integer("hidden_size", H),
        GraphBuilder.integer("layout", layout));
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
    float[] got = OrtRunner.run(OnnxExporter.export(model, w, TestModels.provenance()), "input", x).get("output").data();
    double[] want = KerasOracle.run(model, w, x).get("output").data();
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(want[i] - got[i]));
    }
    assertEquals(CAPS.flag(ORT, "lstm_relu_activation"), worst < 1e-5, "max abs err " + worst);
  }

  @Test
  void everyFlagIsMeasuredHere() {
    assertEquals(List.of(ORT), CAPS.runtimes());
    assertEquals(List.of("rnn_layout_1", "lstm_sequence_lens_zero_fills_outputs", "lstm_relu_activation"),
        List.copyOf(CAPS.flags(ORT).keySet()));
    // the ORT jar ships META-INF/maven/.../pom.xml but no pom.properties, so ask the runtime itself
    assertEquals(OrtRunner.env().getVersion(), CAPS.version(ORT));
  }

  @Test
  void unknownNamesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CAPS.flag("tensorrt", "x"));
    assertEquals("unknown runtime 'tensorrt', expected one of [onnxruntime-cpu]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CAPS.flag(ORT, "x"));
    assertEquals("runtime 'onnxruntime-cpu' has no flag 'x', expected one of "
        + "[rnn_layout_1, lstm_sequence_lens_zero_fills_outputs, lstm_relu_activation]", e.getMessage());
  }
}

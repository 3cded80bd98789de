package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.RecurrentOpsTest.MIXED;
import static dev.rnnx.ref.onnx.RecurrentOpsTest.gruInputs;
import static dev.rnnx.ref.onnx.RecurrentOpsTest.lstmInputs;
import static dev.rnnx.ref.onnx.RecurrentOpsTest.oneNode;
import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.floats;
import static dev.rnnx.ref.onnx.TestModels.info;
import static dev.rnnx.ref.onnx.TestModels.ints;
import static dev.rnnx.ref.onnx.TestModels.node;
import static dev.rnnx.ref.onnx.TestModels.out;
import static dev.rnnx.ref.onnx.TestModels.random;
import static dev.rnnx.ref.onnx.TestModels.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-checks the evaluator against ONNX Runtime's CPU kernels (float32) on models the ONNX node
 * tests do not cover, with {@code atol 1e-5}; and pins the two places where ONNX Runtime differs
 * on purpose: it rejects {@code layout=1}, and it gives a zero final state to a sequence of length
 * 0.
 */
class OrtParityTest {

  static final double ATOL = 1e-5;
  static final int H = RecurrentOpsTest.H;

  /** Runs a model in ONNX Runtime; every output comes back as a Value (float32, int64 or bool). */
  static Map<String, Value> ort(ModelProto model, Map<String, Value> feeds) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<OnnxTensor> tensors = new ArrayList<>();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toByteArray(), opts)) {
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      for (Map.Entry<String, Value> e : feeds.entrySet()) {
        OnnxTensor t = toOrt(env, e.getValue());
        tensors.add(t);
        in.put(e.getKey(), t);
      }
      Map<String, Value> result = new LinkedHashMap<>();
      try (OrtSession.Result r = session.run(in)) {
        for (Map.Entry<String, OnnxValue> e : r) {
          result.put(e.getKey(), fromOrt((OnnxTensor) e.getValue()));
        }
      }
      return result;
    } finally {
      tensors.forEach(OnnxTensor::close);
    }
  }

  static OnnxTensor toOrt(OrtEnvironment env, Value v) throws OrtException {
    switch (v.type()) {
      case FLOAT:
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(v.toFloatArray()), v.shape());
      case INT32: {
        int[] d = new int[v.size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = (int) v.getLong(i);
        }
        return OnnxTensor.createTensor(env, IntBuffer.wrap(d), v.shape());
      }
      case INT64:
        return OnnxTensor.createTensor(env, LongBuffer.wrap(v.toLongArray()), v.shape());
      case BOOL: {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(v.size());
        for (int i = 0; i < v.size(); i++) {
          b.put((byte) v.getLong(i));
        }
        b.rewind();
        return OnnxTensor.createTensor(env, b, v.shape(), ai.onnxruntime.OnnxJavaType.BOOL);
      }
      default:
        throw new IllegalArgumentException("no ORT conversion for " + v.type());
    }
  }

  static Value fromOrt(OnnxTensor t) {
    long[] shape = t.getInfo().getShape();
    switch (t.getInfo().type) {
      case FLOAT: {
        FloatBuffer b = t.getFloatBuffer();
        float[] f = new float[b.remaining()];
        b.get(f);
        return Value.ofFloats(shape, f);
      }
      case INT64: {
        LongBuffer b = t.getLongBuffer();
        long[] l = new long[b.remaining()];
        b.get(l);
        return Value.ofInt64(shape, l);
      }
      case BOOL: {
        java.nio.ByteBuffer b = t.getByteBuffer();
        long[] l = new long[b.remaining()];
        for (int i = 0; i < l.length; i++) {
          l[i] = b.get();
        }
        return Value.ofLongs(DataType.BOOL, shape, l);
      }
      default:
        throw new IllegalArgumentException("no conversion from ORT type " + t.getInfo().type);
    }
  }

  static Map<String, Value> present(Map<String, Value> ins) {
    return RecurrentOpsTest.feeds(ins);
  }

  /** Both backends on the same model and feeds; every output equal within ATOL. */
  static Map<String, Value> assertParity(ModelProto model, Map<String, Value> feeds) throws OrtException {
    Map<String, Value> ref = new OnnxEvaluator(model).run(feeds);
    Map<String, Value> rt = ort(model, feeds);
    assertEquals(ref.keySet(), rt.keySet());
    for (String name : ref.keySet()) {
      assertClose(name, ref.get(name), rt.get(name));
    }
    return ref;
  }

  static void assertClose(String name, Value ref, Value rt) {
    assertArrayEquals(ref.shape(), rt.shape(), name + ": shape");
    assertEquals(ref.type(), rt.type(), name + ": type");
    for (int i = 0; i < ref.size(); i++) {
      double err = Math.abs(ref.getDouble(i) - rt.getDouble(i));
      if (!(err <= ATOL)) {
        fail(name + "[" + i + "]: reference " + ref.getDouble(i) + ", ONNX Runtime " + rt.getDouble(i));
      }
    }
  }

  // ---- recurrent operators ----------------------------------------------------------------------

  @Test
  void lstmBidirectionalMixedLengthsInitialStatesPeepholes() throws OrtException {
    Map<String, Value> in = lstmInputs(new Random(21), 2, MIXED, true, true);
    assertParity(oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("direction", "bidirectional")),
        present(in));
  }

  @Test
  void lstmReverseInputForgetClipAndActivations() throws OrtException {
    Map<String, Value> in = lstmInputs(new Random(22), 1, MIXED, true, true);
    assertParity(oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("direction", "reverse"),
        attr("input_forget", 1), attr("clip", 0.6), strings("activations", "HardSigmoid", "LeakyRelu", "Softsign"),
        floats("activation_alpha", 0.25, 0.1), floats("activation_beta", 0.45)), present(in));
  }

  @ParameterizedTest(name = "linear_before_reset={0}")
  @ValueSource(ints = {0, 1})
  void gruBidirectionalMixedLengths(int linearBeforeReset) throws OrtException {
    Map<String, Value> in = gruInputs(new Random(23), 2, 3, MIXED, true);
    assertParity(oneNode("GRU", 14, in, 2, attr("hidden_size", H), attr("direction", "bidirectional"),
        attr("linear_before_reset", linearBeforeReset)), present(in));
  }

  @Test
  void gruReverseWithClipAndActivations() throws OrtException {
    Map<String, Value> in = gruInputs(new Random(24), 1, 3, MIXED, true);
    assertParity(oneNode("GRU", 14, in, 2, attr("hidden_size", H), attr("direction", "reverse"), attr("clip", 0.8),
        strings("activations", "Sigmoid", "Elu"), floats("activation_alpha", 0.7)), present(in));
  }

  @Test
  void rnnBidirectionalMixedLengths() throws OrtException {
    Map<String, Value> in = gruInputs(new Random(25), 2, 1, MIXED, true);
    assertParity(oneNode("RNN", 14, in, 2, attr("hidden_size", H), attr("direction", "bidirectional"),
        strings("activations", "Tanh", "Relu")), present(in));
  }

  @Test
  void onnxRuntimeRejectsBatchwiseLayout() {
    Map<String, Value> in = lstmInputs(new Random(26), 1, null, false, false);
    OrtException e = assertThrows(OrtException.class,
        () -> ort(oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("layout", 1)), present(in)));
    assertTrue(e.getMessage().contains("layout"), e.getMessage());
  }

  /**
   * A sequence of length 0 with a non-zero initial state: the evaluator (like ONNX's reference
   * implementation) keeps the initial state as the final state, ONNX Runtime writes zeros. Y is zero
   * in both, and every other sequence agrees.
   */
  @Test
  void zeroLengthSequenceFinalStateDiffersOnPurpose() throws OrtException {
    int[] lens = {4, 0, 5};
    Map<String, Value> in = lstmInputs(new Random(27), 1, lens, true, false);
    ModelProto m = oneNode("LSTM", 14, in, 3, attr("hidden_size", H));
    Map<String, Value> ref = new OnnxEvaluator(m).run(present(in));
    Map<String, Value> rt = ort(m, present(in));
    assertClose("Y", ref.get("Y"), rt.get("Y"));
    for (String s : List.of("Y_h", "Y_c")) {
      for (int j = 0; j < H; j++) {
        int zeroRow = H + j; // [1, B, H]: batch row 1
        assertEquals(0.0, rt.get(s).getDouble(zeroRow), s + " from ONNX Runtime");
        String init = s.equals("Y_h") ? "initial_h" : "initial_c";
        assertEquals(in.get(init).getDouble(zeroRow), ref.get(s).getDouble(zeroRow), s + " from the evaluator");
        assertEquals(ref.get(s).getDouble(j), rt.get(s).getDouble(j), ATOL);
        assertEquals(ref.get(s).getDouble(2 * H + j), rt.get(s).getDouble(2 * H + j), ATOL);
      }
    }
  }

  // ---- a graph of the other operators -----------------------------------------------------------

  static TensorProto init(String name, Value v) {
    return TensorProtos.encode(v, name);
  }

  /**
   * An attention-shaped block: Gather (negative ids), LayerNormalization, MatMul, Transpose, Div,
   * Softmax, Add, Tanh, Sigmoid, Relu, Reshape, Gemm (transB), LogSoftmax, ReduceMean, Concat,
   * Unsqueeze, Squeeze, Slice, Equal, Where, Cast, Shape, TopK.
   */
  @Test
  void attentionShapedGraph() throws OrtException {
    Random rnd = new Random(28);
    List<TensorProto> inits = List.of(
        init("E", random(rnd, 1, 10, 8)),
        init("gamma", random(rnd, 1, 8)),
        init("beta", random(rnd, 0.5, 8)),
        init("Wq", random(rnd, 0.5, 8, 8)),
        init("scale", Value.ofFloats(new long[0], (float) Math.sqrt(8))),
        init("Wo", random(rnd, 0.5, 3, 8)),
        init("bo", random(rnd, 0.5, 3)),
        init("shape2d", Value.ofInt64(new long[] {2}, -1, 8)),
        init("ax0", Value.ofInt64(new long[] {1}, 0)),
        init("ax1", Value.ofInt64(new long[] {1}, 1)),
        init("starts", Value.ofInt64(new long[] {2}, 1, -1)),
        init("ends", Value.ofInt64(new long[] {2}, Long.MAX_VALUE, -100)),
        init("sl_axes", Value.ofInt64(new long[] {2}, 0, 1)),
        init("steps", Value.ofInt64(new long[] {2}, 2, -2)),
        init("k", Value.ofInt64(new long[] {1}, 2)),
        init("zero", Value.ofFloats(new long[0], 0f)));
    List<NodeProto> nodes = List.of(
        node("Gather", List.of("E", "ids"), List.of("emb"), attr("axis", 0)),
        node("LayerNormalization", List.of("emb", "gamma", "beta"), List.of("ln"), attr("axis", -1),
            attr("epsilon", 1e-5)),
        node("MatMul", List.of("ln", "Wq"), List.of("q")),
        node("Transpose", List.of("q"), List.of("qt"), ints("perm", 0, 2, 1)),
        node("MatMul", List.of("q", "qt"), List.of("scores")),
        node("Div", List.of("scores", "scale"), List.of("scaled")),
        node("Softmax", List.of("scaled"), List.of("attn"), attr("axis", -1)),
        node("MatMul", List.of("attn", "q"), List.of("ctx")),
        node("Add", List.of("ctx", "ln"), List.of("res")),
        node("Tanh", List.of("res"), List.of("t")),
        node("Sigmoid", List.of("res"), List.of("s")),
        node("Mul", List.of("t", "s"), List.of("ts")),
        node("Relu", List.of("ts"), List.of("act")),
        node("Reshape", List.of("act", "shape2d"), List.of("flat")),
        node("Gemm", List.of("flat", "Wo", "bo"), List.of("logits"), attr("transB", 1), attr("alpha", 0.9),
            attr("beta", 1.1)),
        node("LogSoftmax", List.of("logits"), List.of("logp"), attr("axis", 1)),
        node("ReduceMean", List.of("logp"), List.of("meanp"), ints("axes", 0), attr("keepdims", 0)),
        node("Unsqueeze", List.of("meanp", "ax0"), List.of("meanp2")),
        node("Concat", List.of("logp", "meanp2"), List.of("cat"), attr("axis", 0)),
        node("Slice", List.of("cat", "starts", "ends", "sl_axes", "steps"), List.of("sliced")),
        node("Unsqueeze", List.of("sliced", "ax1"), List.of("u")),
        node("Squeeze", List.of("u", "ax1"), List.of("sq")),
        node("Equal", List.of("ids", "ids"), List.of("same")),
        node("Less", List.of("sq", "zero"), List.of("neg")),
        node("Where", List.of("neg", "sq", "zero"), List.of("clipped")),
        node("Shape", List.of("clipped"), List.of("shp")),
        node("Cast", List.of("shp"), List.of("shpf"), attr("to", DataType.FLOAT.onnxCode())),
        node("TopK", List.of("logits", "k"), List.of("topv", "topi"), attr("axis", -1)));
    List<NodeProto> named = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      named.add(nodes.get(i).toBuilder().setName("n" + i).build());
    }
    ModelProto model = TestModels.model(17, named, List.of(info("ids", DataType.INT64, 2, 5)),
        List.of(out("logp", DataType.FLOAT), out("clipped", DataType.FLOAT), out("same", DataType.BOOL),
            out("shpf", DataType.FLOAT), out("topv", DataType.FLOAT), out("topi", DataType.INT64)),
        inits);
    Map<String, Value> feeds = Map.of("ids", Value.ofInt64(new long[] {2, 5}, 0, 3, -1, 9, 4, -10, 2, 2, 7, 1));
    Map<String, Value> ref = assertParity(model, feeds);
    assertArrayEquals(new long[] {5, 2}, ref.get("clipped").shape()); // rows 1,3,..,9; columns 2,0
  }
}

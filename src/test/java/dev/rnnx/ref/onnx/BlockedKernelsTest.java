package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.RecurrentOpsTest.oneNode;
import static dev.rnnx.ref.onnx.RecurrentOpsTest.run;
import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.ints;
import static dev.rnnx.ref.onnx.TestModels.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import dev.rnnx.ref.RefKernels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The evaluator's blocked products ({@code MatMul}, {@code Gemm}, the batched {@code LSTM},
 * {@code GRU}, {@code RNN}, {@code Conv} through im2col) equal its original loops ({@code rnnx.ref.kernels=naive}) bit for bit,
 * on shapes large enough for four-row groups, remainders and the split over the cores.
 */
class BlockedKernelsTest {

  private static final String PROPERTY = "rnnx.ref.kernels";

  @AfterEach
  void blocked() {
    System.clearProperty(PROPERTY);
  }

  private static <T> T with(String kernels, Supplier<T> body) {
    if (kernels == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, kernels);
    }
    try {
      return body.get();
    } finally {
      System.clearProperty(PROPERTY);
    }
  }

  /** The inputs as float64 tensors (integers kept), so that no rounding to float32 hides a difference. */
  private static Map<String, Value> doubles(Map<String, Value> in) {
    Map<String, Value> d = new LinkedHashMap<>();
    in.forEach((k, v) -> d.put(k, v == null || v.type() != DataType.FLOAT ? v
        : Value.ofDoubles(DataType.DOUBLE, v.shape(), v.doublesRef().clone())));
    return d;
  }

  private static void assertSame(String op, int outputs, Map<String, Value> floats, AttributeProto... attrs) {
    Map<String, Value> in = doubles(floats);
    ModelProto m = oneNode(op, op.equals("MatMul") || op.equals("Gemm") ? 13 : 14, in, outputs, attrs);
    Map<String, Value> naive = with("naive", () -> run(m, in));
    assertEquals(false, RefKernels.naive());
    Map<String, Value> blocked = with(null, () -> run(m, in));
    for (String o : java.util.List.of("Y", "Y_h", "Y_c").subList(0, outputs)) {
      assertEquals(DataType.DOUBLE, blocked.get(o).type(), o);
      assertEquals(naive.get(o), blocked.get(o), o);
    }
  }

  @Test
  void matMulWithBroadcastBatchesAndVectors() {
    Random rnd = new Random(21);
    long[][][] shapes = {{{2, 3, 37, 19}, {3, 19, 130}}, {{67}, {67, 5}}, {{9, 1, 41}, {41}}, {{150, 64}, {64, 129}},
        {{1, 1}, {1, 1}}};
    for (long[][] s : shapes) {
      Map<String, Value> in = new LinkedHashMap<>();
      in.put("A", random(rnd, 1, s[0]));
      in.put("B", random(rnd, 1, s[1]));
      assertSame("MatMul", 1, in);
    }
  }

  @Test
  void gemmWithTranspositionsAlphaBetaAndBroadcastC() {
    Random rnd = new Random(22);
    int m = 45;
    int k = 33;
    int n = 70;
    for (int t = 0; t < 4; t++) {
      boolean ta = (t & 1) == 1;
      boolean tb = (t & 2) == 2;
      Map<String, Value> in = new LinkedHashMap<>();
      in.put("A", random(rnd, 1, ta ? k : m, ta ? m : k));
      in.put("B", random(rnd, 1, tb ? n : k, tb ? k : n));
      in.put("C", random(rnd, 1, t == 3 ? new long[] {m, n} : new long[] {n}));
      AttributeProto[] attrs = {attr("transA", ta ? 1 : 0), attr("transB", tb ? 1 : 0), attr("alpha", 0.75),
          attr("beta", 1.5)};
      assertSame("Gemm", 1, in, attrs);
    }
  }

  @Test
  void convWithGroupsPadsStridesDilationsAndBias() {
    Random rnd = new Random(23);
    Map<String, Value> in = new LinkedHashMap<>();
    in.put("X", random(rnd, 1, 3, 6, 17, 23));
    in.put("W", random(rnd, 1, 10, 3, 3, 4)); // group 2: 6 channels in, 10 out
    in.put("B", random(rnd, 1, 10));
    assertSame("Conv", 1, in, attr("group", 2), ints("pads", 1, 2, 2, 1), ints("strides", 2, 1),
        ints("dilations", 1, 2));
    Map<String, Value> one = new LinkedHashMap<>();
    one.put("X", random(rnd, 1, 2, 5, 40));
    one.put("W", random(rnd, 1, 7, 5, 5));
    assertSame("Conv", 1, one, attr("auto_pad", "SAME_UPPER"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LSTM", "GRU", "GRU-lbr", "RNN"})
  void recurrentOpsBatchedEqualOneSequenceAtATime(String op) {
    Random rnd = new Random(op.hashCode());
    int t = 20;
    int b = 9;
    int i = 13;
    int h = 37;
    int gates = op.equals("LSTM") ? 4 : op.startsWith("GRU") ? 3 : 1;
    int[] lens = new int[b];
    for (int s = 0; s < b; s++) {
      lens[s] = rnd.nextInt(t + 1); // 0 … T: a zero-length sequence keeps its initial state
    }
    for (int layout = 0; layout < 2; layout++) {
      Map<String, Value> in = new LinkedHashMap<>();
      in.put("X", random(rnd, 1, layout == 0 ? new long[] {t, b, i} : new long[] {b, t, i}));
      in.put("W", random(rnd, 0.5, 2, gates * h, i));
      in.put("R", random(rnd, 0.5, 2, gates * h, h));
      in.put("B", random(rnd, 0.5, 2, 2L * gates * h));
      in.put("sequence_lens", Value.ofInt32(new long[] {b}, lens));
      long[] state = layout == 0 ? new long[] {2, b, h} : new long[] {b, 2, h};
      in.put("initial_h", random(rnd, 0.8, state));
      if (gates == 4) {
        in.put("initial_c", random(rnd, 0.8, state));
        in.put("P", random(rnd, 0.5, 2, 3 * h));
      }
      String kind = op.startsWith("GRU") ? "GRU" : op;
      assertSame(kind, gates == 4 ? 3 : 2, in, attr("hidden_size", h), attr("direction", "bidirectional"),
          attr("layout", layout), attr("linear_before_reset", op.equals("GRU-lbr") ? 1 : 0));
    }
  }
}

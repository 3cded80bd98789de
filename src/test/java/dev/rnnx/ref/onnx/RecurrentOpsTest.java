package dev.rnnx.ref.onnx;

import static dev.rnnx.ref.onnx.TestModels.attr;
import static dev.rnnx.ref.onnx.TestModels.floats;
import static dev.rnnx.ref.onnx.TestModels.info;
import static dev.rnnx.ref.onnx.TestModels.node;
import static dev.rnnx.ref.onnx.TestModels.out;
import static dev.rnnx.ref.onnx.TestModels.random;
import static dev.rnnx.ref.onnx.TestModels.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What ONNX's node tests do not cover (they are forward-only, without sequence lengths that
 * differ): reverse and bidirectional directions, mixed sequence lengths, initial states,
 * {@code linear_before_reset} both ways, peepholes, {@code input_forget}, {@code clip}, activations
 * with alpha/beta and {@code layout=1}. Each case is checked against the specification's equations
 * written out here as plain loops over one sequence at a time.
 */
class RecurrentOpsTest {

  static final int T = 5;
  static final int B = 3;
  static final int I = 4;
  static final int H = 3;
  static final double TOL = 1e-12;

  // ---- the specification's equations, one sequence and one direction at a time -----------------

  /** One time step of one sequence: updates h (and c) in place. */
  interface Step {
    void step(double[] x, double[] h, double[] c);
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double dot(Value m, int dir, int row, double[] v) {
    double s = 0;
    for (int k = 0; k < v.length; k++) {
      s += at(m, dir, row, k) * v[k];
    }
    return s;
  }

  static double bias(Value b, int dir, int index) {
    return b == null ? 0 : at(b, dir, index);
  }

  static double clip(double v, double c) {
    return Math.max(-c, Math.min(c, v));
  }

  /** LSTM, gate blocks i, o, f, c; peephole blocks i, o, f. */
  static Step lstm(Value w, Value r, Value b, Value p, int d, DoubleUnaryOperator f, DoubleUnaryOperator g,
      DoubleUnaryOperator hf, double clip, boolean inputForget) {
    return (x, h, c) -> {
      double[] hNew = new double[H];
      double[] cNew = new double[H];
      for (int j = 0; j < H; j++) {
        double[] pre = new double[4];
        for (int gate = 0; gate < 4; gate++) {
          int row = gate * H + j;
          pre[gate] = dot(w, d, row, x) + dot(r, d, row, h) + bias(b, d, row) + bias(b, d, 4 * H + row);
        }
        double pi = p == null ? 0 : at(p, d, j);
        double po = p == null ? 0 : at(p, d, H + j);
        double pf = p == null ? 0 : at(p, d, 2 * H + j);
        double it = f.applyAsDouble(clip(pre[0] + pi * c[j], clip));
        double ft = inputForget ? 1 - it : f.applyAsDouble(clip(pre[2] + pf * c[j], clip));
        double ct = g.applyAsDouble(clip(pre[3], clip));
        cNew[j] = ft * c[j] + it * ct;
        double ot = f.applyAsDouble(clip(pre[1] + po * cNew[j], clip));
        hNew[j] = ot * hf.applyAsDouble(cNew[j]);
      }
      System.arraycopy(hNew, 0, h, 0, H);
      System.arraycopy(cNew, 0, c, 0, H);
    };
  }

  /** GRU, gate blocks z, r, h. */
  static Step gru(Value w, Value r, Value b, int d, boolean linearBeforeReset) {
    return (x, h, c) -> {
      double[] z = new double[H];
      double[] rt = new double[H];
      for (int j = 0; j < H; j++) {
        z[j] = sigmoid(dot(w, d, j, x) + dot(r, d, j, h) + bias(b, d, j) + bias(b, d, 3 * H + j));
        rt[j] = sigmoid(dot(w, d, H + j, x) + dot(r, d, H + j, h) + bias(b, d, H + j) + bias(b, d, 3 * H + H + j));
      }
      double[] rh = new double[H];
      for (int k = 0; k < H; k++) {
        rh[k] = rt[k] * h[k];
      }
      double[] hNew = new double[H];
      for (int j = 0; j < H; j++) {
        int row = 2 * H + j;
        double ht;
        if (linearBeforeReset) {
          ht = Math.tanh(dot(w, d, row, x) + rt[j] * (dot(r, d, row, h) + bias(b, d, 3 * H + row)) + bias(b, d, row));
        } else {
          ht = Math.tanh(dot(w, d, row, x) + dot(r, d, row, rh) + bias(b, d, 3 * H + row) + bias(b, d, row));
        }
        hNew[j] = (1 - z[j]) * ht + z[j] * h[j];
      }
      System.arraycopy(hNew, 0, h, 0, H);
    };
  }

  /** Simple RNN. */
  static Step rnn(Value w, Value r, Value b, int d, DoubleUnaryOperator f) {
    return (x, h, c) -> {
      double[] hNew = new double[H];
      for (int j = 0; j < H; j++) {
        hNew[j] = f.applyAsDouble(dot(w, d, j, x) + dot(r, d, j, h) + bias(b, d, j) + bias(b, d, H + j));
      }
      System.arraycopy(hNew, 0, h, 0, H);
    };
  }

  /** The outputs of a whole node, computed sequence by sequence (layout 0). */
  record Expected(double[][][][] y, double[][][] yh, double[][][] yc) {}

  static Expected expected(Value x, int dirs, boolean reverseOnly, int[] lens, Value h0, Value c0,
      java.util.function.IntFunction<Step> stepOfDirection) {
    double[][][][] y = new double[T][dirs][B][H];
    double[][][] yh = new double[dirs][B][H];
    double[][][] yc = new double[dirs][B][H];
    for (int d = 0; d < dirs; d++) {
      Step step = stepOfDirection.apply(d);
      boolean backward = reverseOnly || d == 1;
      for (int b = 0; b < B; b++) {
        double[] h = new double[H];
        double[] c = new double[H];
        for (int j = 0; j < H; j++) {
          h[j] = h0 == null ? 0 : at(h0, d, b, j);
          c[j] = c0 == null ? 0 : at(c0, d, b, j);
        }
        int len = lens == null ? T : lens[b];
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < len; t++) {
          order.add(backward ? len - 1 - t : t);
        }
        for (int t : order) {
          double[] xt = new double[I];
          for (int k = 0; k < I; k++) {
            xt[k] = at(x, t, b, k);
          }
          step.step(xt, h, c);
          y[t][d][b] = h.clone();
        }
        yh[d][b] = h;
        yc[d][b] = c;
      }
    }
    return new Expected(y, yh, yc);
  }

  static double at(Value v, int... idx) {
    long[] s = v.shape();
    int flat = 0;
    for (int i = 0; i < idx.length; i++) {
      flat = flat * (int) s[i] + idx[i];
    }
    return v.getDouble(flat);
  }

  static void assertMatches(Expected e, Map<String, Value> got, int dirs, boolean lstm) {
    Value y = got.get("Y");
    Value yh = got.get("Y_h");
    assertArrayEquals(new long[] {T, dirs, B, H}, y.shape());
    assertArrayEquals(new long[] {dirs, B, H}, yh.shape());
    for (int t = 0; t < T; t++) {
      for (int d = 0; d < dirs; d++) {
        for (int b = 0; b < B; b++) {
          for (int j = 0; j < H; j++) {
            assertEquals(e.y()[t][d][b][j], at(y, t, d, b, j), TOL, "Y[" + t + "," + d + "," + b + "," + j + "]");
          }
        }
      }
    }
    for (int d = 0; d < dirs; d++) {
      for (int b = 0; b < B; b++) {
        for (int j = 0; j < H; j++) {
          assertEquals(e.yh()[d][b][j], at(yh, d, b, j), TOL, "Y_h[" + d + "," + b + "," + j + "]");
          if (lstm) {
            assertEquals(e.yc()[d][b][j], at(got.get("Y_c"), d, b, j), TOL, "Y_c[" + d + "," + b + "," + j + "]");
          }
        }
      }
    }
  }

  // ---- model building ----------------------------------------------------------------------------

  /** A one-node model whose every input is a graph input (empty names for the absent ones). */
  static ModelProto oneNode(String op, int opset, Map<String, Value> ins, int outputs, AttributeProto... attrs) {
    List<String> names = new ArrayList<>();
    List<ValueInfoProto> infos = new ArrayList<>();
    for (Map.Entry<String, Value> e : ins.entrySet()) {
      if (e.getValue() == null) {
        names.add("");
      } else {
        names.add(e.getKey());
        infos.add(info(e.getKey(), e.getValue().type(), e.getValue().shape()));
      }
    }
    List<String> outNames = List.of("Y", "Y_h", "Y_c").subList(0, outputs);
    List<ValueInfoProto> outInfos = new ArrayList<>();
    outNames.forEach(n -> outInfos.add(out(n, DataType.FLOAT)));
    return TestModels.model(opset, List.of(node(op, names, outNames, attrs)), infos, outInfos, List.of());
  }

  static Map<String, Value> feeds(Map<String, Value> ins) {
    Map<String, Value> f = new LinkedHashMap<>();
    ins.forEach((k, v) -> {
      if (v != null) {
        f.put(k, v);
      }
    });
    return f;
  }

  static Map<String, Value> run(ModelProto m, Map<String, Value> ins) {
    return new OnnxEvaluator(m).run(feeds(ins));
  }

  /** LSTM inputs in ONNX order; null entries are absent. */
  static Map<String, Value> lstmInputs(Random rnd, int dirs, int[] lens, boolean states, boolean peepholes) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("X", random(rnd, 1, T, B, I));
    m.put("W", random(rnd, 0.5, dirs, 4 * H, I));
    m.put("R", random(rnd, 0.5, dirs, 4 * H, H));
    m.put("B", random(rnd, 0.5, dirs, 8 * H));
    m.put("sequence_lens", lens == null ? null : Value.ofInt32(new long[] {B}, lens));
    m.put("initial_h", states ? random(rnd, 0.8, dirs, B, H) : null);
    m.put("initial_c", states ? random(rnd, 0.8, dirs, B, H) : null);
    m.put("P", peepholes ? random(rnd, 0.5, dirs, 3 * H) : null);
    return m;
  }

  static Map<String, Value> gruInputs(Random rnd, int dirs, int gates, int[] lens, boolean states) {
    Map<String, Value> m = new LinkedHashMap<>();
    m.put("X", random(rnd, 1, T, B, I));
    m.put("W", random(rnd, 0.5, dirs, gates * H, I));
    m.put("R", random(rnd, 0.5, dirs, gates * H, H));
    m.put("B", random(rnd, 0.5, dirs, 2 * gates * H));
    m.put("sequence_lens", lens == null ? null : Value.ofInt32(new long[] {B}, lens));
    m.put("initial_h", states ? random(rnd, 0.8, dirs, B, H) : null);
    return m;
  }

  static final int[] MIXED = {5, 2, 4};

  // ---- LSTM -------------------------------------------------------------------------------------

  @Test
  void lstmBidirectionalWithMixedLengthsInitialStatesAndPeepholes() {
    Map<String, Value> in = lstmInputs(new Random(1), 2, MIXED, true, true);
    Map<String, Value> got = run(oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("direction",
        "bidirectional")), in);
    Expected e = expected(in.get("X"), 2, false, MIXED, in.get("initial_h"), in.get("initial_c"),
        d -> lstm(in.get("W"), in.get("R"), in.get("B"), in.get("P"), d, RecurrentOpsTest::sigmoid, Math::tanh,
            Math::tanh, Double.POSITIVE_INFINITY, false));
    assertMatches(e, got, 2, true);
    // past a sequence's length Y is zero in both directions
    assertEquals(0.0, at(got.get("Y"), 3, 0, 1, 0));
    assertEquals(0.0, at(got.get("Y"), 3, 1, 1, 2));
    assertEquals(0.0, at(got.get("Y"), 4, 1, 2, 1));
    // the forward final state is the last valid step's output; the backward one is step 0's
    assertEquals(at(got.get("Y"), 1, 0, 1, 0), at(got.get("Y_h"), 0, 1, 0));
    assertEquals(at(got.get("Y"), 0, 1, 1, 0), at(got.get("Y_h"), 1, 1, 0));
  }

  @Test
  void lstmReverseWithMixedLengths() {
    Map<String, Value> in = lstmInputs(new Random(2), 1, MIXED, true, false);
    Map<String, Value> got = run(oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("direction", "reverse")),
        in);
    Expected e = expected(in.get("X"), 1, true, MIXED, in.get("initial_h"), in.get("initial_c"),
        d -> lstm(in.get("W"), in.get("R"), in.get("B"), null, d, RecurrentOpsTest::sigmoid, Math::tanh, Math::tanh,
            Double.POSITIVE_INFINITY, false));
    assertMatches(e, got, 1, true);
  }

  @Test
  void lstmInputForgetClipAndActivationsWithAlphaBeta() {
    Map<String, Value> in = lstmInputs(new Random(3), 1, null, true, true);
    // scale up so that the clip bites
    Value x = in.get("X");
    double[] big = x.toDoubleArray();
    for (int i = 0; i < big.length; i++) {
      big[i] *= 4;
    }
    in.put("X", Value.ofDoubles(DataType.FLOAT, x.shape(), big));
    ModelProto m = oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("input_forget", 1), attr("clip", 0.75),
        strings("activations", "HardSigmoid", "LeakyRelu", "ScaledTanh"), floats("activation_alpha", 0.3, 0.2, 1.5),
        floats("activation_beta", 0.4, 0.7));
    Map<String, Value> got = run(m, in);
    double a0 = (float) 0.3;
    double b0 = (float) 0.4;
    double a1 = (float) 0.2;
    double a2 = (float) 1.5;
    double b2 = (float) 0.7;
    Expected e = expected(in.get("X"), 1, false, null, in.get("initial_h"), in.get("initial_c"),
        d -> lstm(in.get("W"), in.get("R"), in.get("B"), in.get("P"), d, v -> Math.min(1, Math.max(0, a0 * v + b0)),
            v -> v >= 0 ? v : a1 * v, v -> a2 * Math.tanh(b2 * v), (float) 0.75, true));
    assertMatches(e, got, 1, true);
  }

  @Test
  void lstmActivationDefaultsAndOneListForBothDirections() {
    Map<String, Value> in = lstmInputs(new Random(4), 2, null, false, false);
    // three functions for a bidirectional node apply to both directions; Elu and LeakyRelu defaults
    ModelProto m = oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("direction", "bidirectional"),
        strings("activations", "sigmoid", "Elu", "LeakyRelu"));
    Map<String, Value> got = run(m, in);
    Expected e = expected(in.get("X"), 2, false, null, null, null,
        d -> lstm(in.get("W"), in.get("R"), in.get("B"), null, d, RecurrentOpsTest::sigmoid,
            v -> v >= 0 ? v : Math.exp(v) - 1, v -> v >= 0 ? v : 0.01 * v, Double.POSITIVE_INFINITY, false));
    assertMatches(e, got, 2, true);
  }

  @Test
  void sequenceOfLengthZeroKeepsItsInitialStateAndOutputsZeros() {
    int[] lens = {3, 0, 5};
    Map<String, Value> in = lstmInputs(new Random(5), 2, lens, true, false);
    Map<String, Value> got = run(oneNode("LSTM", 14, in, 3, attr("hidden_size", H), attr("direction",
        "bidirectional")), in);
    for (int t = 0; t < T; t++) {
      for (int d = 0; d < 2; d++) {
        for (int j = 0; j < H; j++) {
          assertEquals(0.0, at(got.get("Y"), t, d, 1, j));
        }
      }
    }
    for (int d = 0; d < 2; d++) {
      for (int j = 0; j < H; j++) {
        assertEquals(at(in.get("initial_h"), d, 1, j), at(got.get("Y_h"), d, 1, j));
        assertEquals(at(in.get("initial_c"), d, 1, j), at(got.get("Y_c"), d, 1, j));
      }
    }
  }

  // ---- GRU and RNN ------------------------------------------------------------------------------

  @ParameterizedTest(name = "linear_before_reset={0}")
  @ValueSource(ints = {0, 1})
  void gruBidirectionalWithMixedLengthsAndInitialState(int linearBeforeReset) {
    Map<String, Value> in = gruInputs(new Random(6 + linearBeforeReset), 2, 3, MIXED, true);
    Map<String, Value> got = run(oneNode("GRU", 14, in, 2, attr("hidden_size", H), attr("direction",
        "bidirectional"), attr("linear_before_reset", linearBeforeReset)), in);
    Expected e = expected(in.get("X"), 2, false, MIXED, in.get("initial_h"), null,
        d -> gru(in.get("W"), in.get("R"), in.get("B"), d, linearBeforeReset == 1));
    assertMatches(e, got, 2, false);
  }

  @Test
  void linearBeforeResetChangesTheResult() {
    Map<String, Value> in = gruInputs(new Random(8), 1, 3, null, true);
    Value a = run(oneNode("GRU", 14, in, 2, attr("hidden_size", H), attr("linear_before_reset", 0)), in).get("Y_h");
    Value b = run(oneNode("GRU", 14, in, 2, attr("hidden_size", H), attr("linear_before_reset", 1)), in).get("Y_h");
    assertTrue(!Arrays.equals(a.toDoubleArray(), b.toDoubleArray()), "the two GRU variants gave the same result");
  }

  @Test
  void gruReverse() {
    Map<String, Value> in = gruInputs(new Random(9), 1, 3, MIXED, true);
    Map<String, Value> got = run(oneNode("GRU", 14, in, 2, attr("hidden_size", H), attr("direction", "reverse")), in);
    Expected e = expected(in.get("X"), 1, true, MIXED, in.get("initial_h"), null,
        d -> gru(in.get("W"), in.get("R"), in.get("B"), d, false));
    assertMatches(e, got, 1, false);
  }

  @Test
  void rnnBidirectionalReluWithMixedLengths() {
    Map<String, Value> in = gruInputs(new Random(10), 2, 1, MIXED, true);
    Map<String, Value> got = run(oneNode("RNN", 14, in, 2, attr("hidden_size", H), attr("direction",
        "bidirectional"), strings("activations", "Relu", "Tanh")), in);
    Expected e = expected(in.get("X"), 2, false, MIXED, in.get("initial_h"), null,
        d -> rnn(in.get("W"), in.get("R"), in.get("B"), d, d == 0 ? v -> Math.max(0, v) : Math::tanh));
    assertMatches(e, got, 2, false);
  }

  // ---- layout=1 ---------------------------------------------------------------------------------

  /** Swaps the first two axes of a 3-D or 4-D value ([T, B, ...] to [B, T, ...]); for states [D, B, H] the same. */
  static Value swap01(Value v) {
    int[] perm = new int[v.rank()];
    for (int i = 0; i < perm.length; i++) {
      perm[i] = i;
    }
    perm[0] = 1;
    perm[1] = 0;
    return IndexingOps.permute(v, perm);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LSTM", "GRU", "RNN"})
  void layoutOneIsLayoutZeroWithBatchFirst(String op) {
    int gates = op.equals("LSTM") ? 4 : op.equals("GRU") ? 3 : 1;
    Map<String, Value> in = op.equals("LSTM") ? lstmInputs(new Random(11), 2, MIXED, true, true)
        : gruInputs(new Random(11), 2, gates, MIXED, true);
    int outputs = op.equals("LSTM") ? 3 : 2;
    Map<String, Value> zero = run(oneNode(op, 14, in, outputs, attr("hidden_size", H), attr("direction",
        "bidirectional")), in);
    Map<String, Value> batchFirst = new LinkedHashMap<>(in);
    batchFirst.put("X", swap01(in.get("X")));
    for (String s : List.of("initial_h", "initial_c")) {
      if (in.get(s) != null) {
        batchFirst.put(s, swap01(in.get(s)));
      }
    }
    Map<String, Value> one = run(oneNode(op, 14, batchFirst, outputs, attr("hidden_size", H), attr("direction",
        "bidirectional"), attr("layout", 1)), batchFirst);
    // Y: [T, D, B, H] vs [B, T, D, H]; states: [D, B, H] vs [B, D, H]
    assertEquals(IndexingOps.permute(zero.get("Y"), new int[] {2, 0, 1, 3}), one.get("Y"));
    assertEquals(swap01(zero.get("Y_h")), one.get("Y_h"));
    if (outputs == 3) {
      assertEquals(swap01(zero.get("Y_c")), one.get("Y_c"));
    }
  }

  // ---- errors -----------------------------------------------------------------------------------

  @Test
  void wrongWeightShapeNamesTheNodeAndTheExpectedShape() {
    Map<String, Value> in = lstmInputs(new Random(12), 1, null, false, false);
    in.put("W", random(new Random(1), 1, 1, 3 * H, I));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(oneNode("LSTM", 14, in, 3, attr("hidden_size", H)), in));
    assertTrue(e.getMessage().contains("node 'lstm0' (LSTM") && e.getMessage().contains("W must have shape [1, 12, 4]"),
        e.getMessage());
  }

  @Test
  void sequenceLengthBeyondTheInputIsRejected() {
    Map<String, Value> in = lstmInputs(new Random(13), 1, new int[] {5, 6, 1}, false, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(oneNode("LSTM", 14, in, 3, attr("hidden_size", H)), in));
    assertTrue(e.getMessage().contains("sequence_lens[1] = 6"), e.getMessage());
  }

  @Test
  void unknownActivationListsTheValidOnes() {
    Map<String, Value> in = gruInputs(new Random(14), 1, 1, null, false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> run(oneNode("RNN", 14, in, 2, attr("hidden_size", H), strings("activations", "Swish")), in));
    assertTrue(e.getMessage().contains("unknown activation 'Swish'") && e.getMessage().contains("Softplus"),
        e.getMessage());
  }
}

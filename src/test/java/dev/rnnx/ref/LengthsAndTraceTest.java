package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sequence lengths, reading direction and bidirectional alignment, checked against the plain
 * meaning of the spec: a padded sequence of length L computes exactly what the unpadded one does;
 * {@code go_backwards} is the forward layer on the reversed sequence; the backward half of a
 * bidirectional layer is a separate backward layer re-reversed. Also: the trace agrees with the
 * outputs and with the gate equations.
 */
class LengthsAndTraceTest {

  static final int B = 4;
  static final int T = 7;
  static final int I = 3;
  static final int H = 4;
  static final int[] LENGTHS = {7, 1, 5, 3};

  static Stream<RecurrentLayer> layers() {
    return Stream.of(
        Lstm.builder("r", H).peephole(true).returnSequences(true).returnState(true).build(),
        Gru.builder("r", H).resetAfter(true).returnSequences(true).returnState(true).build(),
        Gru.builder("r", H).resetAfter(false).returnSequences(true).returnState(true).build(),
        SimpleRnn.builder("r", H).returnSequences(true).returnState(true).build());
  }

  static RecurrentLayer backwards(RecurrentLayer l) {
    if (l instanceof Lstm x) {
      return Lstm.builder(x.name(), x.units()).peephole(x.peephole()).goBackwards(true).returnSequences(true)
          .returnState(true).build();
    }
    if (l instanceof Gru x) {
      return Gru.builder(x.name(), x.units()).resetAfter(x.resetAfter()).goBackwards(true).returnSequences(true)
          .returnState(true).build();
    }
    return SimpleRnn.builder(l.name(), l.units()).goBackwards(true).returnSequences(true).returnState(true).build();
  }

  static Sequential model(Layer layer, boolean lengths) {
    ModelInput in = lengths ? ModelInput.ofFeatures(I).withLengths() : ModelInput.ofFeatures(I);
    return new Sequential("m", in, List.of(layer));
  }

  /** Sequence b's first {@code len} steps alone, as a batch of one without lengths. */
  static FloatTensor prefix(FloatTensor x, int b, int len, boolean reversed) {
    float[] out = new float[len * I];
    for (int t = 0; t < len; t++) {
      int src = reversed ? len - 1 - t : t;
      System.arraycopy(x.data(), (b * T + src) * I, out, t * I, I);
    }
    return FloatTensor.of(out, 1, len, I);
  }

  static double[] row(DoubleTensor y, int b, int t) {
    int h = y.dim(2);
    double[] r = new double[h];
    System.arraycopy(y.data(), (b * y.dim(1) + t) * h, r, 0, h);
    return r;
  }

  static double[] row(DoubleTensor y, int b) {
    int h = y.dim(1);
    double[] r = new double[h];
    System.arraycopy(y.data(), b * h, r, 0, h);
    return r;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void aPaddedSequenceComputesWhatTheUnpaddedOneDoes(RecurrentLayer layer) {
    for (boolean back : new boolean[] {false, true}) {
      RecurrentLayer l = back ? backwards(layer) : layer;
      Sequential padded = model(l, true);
      Weights w = RefFixtures.weights(padded, 3, 0.7);
      Map<String, Tensor> in = RefFixtures.inputs(padded, B, T, LENGTHS, 4, 0);
      Map<String, DoubleTensor> out = new ReferenceModel(padded, w).forward(in);
      ReferenceModel alone = new ReferenceModel(model(l, false), w);
      for (int b = 0; b < B; b++) {
        int len = LENGTHS[b];
        Map<String, DoubleTensor> single = alone.forward(Map.of("input", prefix((FloatTensor) in.get("input"), b, len, false)));
        for (int t = 0; t < T; t++) {
          double[] expected = t < len ? row(single.get("output"), 0, t) : new double[H];
          assertArrayEquals(expected, row(out.get("output"), b, t), 1e-15, l + " sequence " + b + " step " + t);
        }
        for (String s : l.states()) {
          assertArrayEquals(row(single.get("state_" + s), 0), row(out.get("state_" + s), b), 1e-15, "state " + s);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void goBackwardsIsTheForwardLayerOnTheReversedSequenceInProcessingOrder(RecurrentLayer layer) {
    Sequential fwd = model(layer, false);
    Sequential bwd = model(backwards(layer), true);
    Weights w = RefFixtures.weights(fwd, 5, 0.7);
    Map<String, Tensor> in = RefFixtures.inputs(bwd, B, T, LENGTHS, 6, 0);
    Map<String, DoubleTensor> out = new ReferenceModel(bwd, w).forward(in);
    ReferenceModel forward = new ReferenceModel(fwd, w);
    for (int b = 0; b < B; b++) {
      int len = LENGTHS[b];
      Map<String, DoubleTensor> rev = forward.forward(Map.of("input", prefix((FloatTensor) in.get("input"), b, len, true)));
      for (int p = 0; p < len; p++) {
        assertArrayEquals(row(rev.get("output"), 0, p), row(out.get("output"), b, p), 1e-15, "processing step " + p);
      }
      for (int p = len; p < T; p++) {
        assertArrayEquals(new double[H], row(out.get("output"), b, p), "zero past L");
      }
      // the final state is the one after reading x[0]: the last processed step
      assertArrayEquals(row(out.get("output"), b, len - 1), row(out.get("state_h"), b), 0.0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("layers")
  void bidirectionalHalvesAreSeparateLayersAlignedToInputTime(RecurrentLayer layer) {
    Bidirectional bi = new Bidirectional("bi", layer, MergeMode.CONCAT);
    Sequential m = model(bi, true);
    Weights w = RefFixtures.weights(m, 7, 0.7);
    Map<String, Tensor> in = RefFixtures.inputs(m, B, T, LENGTHS, 8, 0);
    Map<String, DoubleTensor> out = new ReferenceModel(m, w).forward(in);
    // the same parameters as two plain layers named r
    Map<String, DoubleTensor> f = plain(layer, w, "bi/forward/").forward(in);
    Map<String, DoubleTensor> g = plain(backwards(layer), w, "bi/backward/").forward(in);
    DoubleTensor y = out.get("output");
    for (int b = 0; b < B; b++) {
      int len = LENGTHS[b];
      for (int t = 0; t < T; t++) {
        double[] both = row(y, b, t);
        double[] forwardHalf = java.util.Arrays.copyOfRange(both, 0, H);
        double[] backwardHalf = java.util.Arrays.copyOfRange(both, H, 2 * H);
        assertArrayEquals(row(f.get("output"), b, t), forwardHalf, 0.0);
        double[] expected = t < len ? row(g.get("output"), b, len - 1 - t) : new double[H];
        assertArrayEquals(expected, backwardHalf, 0.0, "backward half at input step " + t + " of sequence " + b);
      }
      assertArrayEquals(row(g.get("state_h"), b), row(out.get("state_backward_h"), b), 0.0);
      assertArrayEquals(row(f.get("state_h"), b), row(out.get("state_forward_h"), b), 0.0);
      // the backward final state is its output at input step 0
      assertArrayEquals(row(out.get("state_backward_h"), b), java.util.Arrays.copyOfRange(row(y, b, 0), H, 2 * H), 0.0);
    }
  }

  private static ReferenceModel plain(RecurrentLayer layer, Weights w, String prefix) {
    Sequential m = model(layer, true);
    Map<String, dev.rnnx.spec.FloatTensor> renamed = new LinkedHashMap<>();
    w.tensors().forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        renamed.put("r/" + k.substring(prefix.length()), v);
      }
    });
    return new ReferenceModel(m, new Weights(renamed));
  }

  @Test
  void paddingValuesNeverReachTheOutputsButLaterLayersComputeOnTheZeros() {
    Sequential m = new Sequential("m", ModelInput.ofFeatures(I).withLengths(), List.of(
        new Bidirectional("bi", Lstm.builder("x", H).returnSequences(true).build(), MergeMode.SUM),
        Gru.builder("g", H).goBackwards(true).returnSequences(true).build(),
        new Dense("d", 2, Activation.SIGMOID, true)));
    Weights w = RefFixtures.weights(m, 9, 0.7);
    Map<String, Tensor> in = RefFixtures.inputs(m, B, T, LENGTHS, 10, 0);
    ReferenceModel ref = new ReferenceModel(m, w);
    DoubleTensor a = ref.forward(in).get("output");
    float[] noisy = ((FloatTensor) in.get("input")).data().clone();
    for (int b = 0; b < B; b++) {
      for (int t = LENGTHS[b]; t < T; t++) {
        for (int k = 0; k < I; k++) {
          noisy[(b * T + t) * I + k] = 1000f;
        }
      }
    }
    Map<String, Tensor> in2 = new HashMap<>(in);
    in2.put("input", FloatTensor.of(noisy, B, T, I));
    assertArrayEquals(a.data(), ref.forward(in2).get("output").data(), 0.0);
    // past L the dense layer sees zeros: sigmoid(bias)
    float[] bias = w.get("d/bias").data();
    assertArrayEquals(new double[] {1 / (1 + Math.exp(-bias[0])), 1 / (1 + Math.exp(-bias[1]))}, row(a, 1, 3), 1e-15);
  }

  @Test
  void traceAgreesWithTheOutputsAndTheLstmEquations() {
    Lstm lstm = Lstm.builder("l", H).peephole(true).goBackwards(true).stateInputs(true).returnSequences(true).build();
    Sequential m = new Sequential("m", ModelInput.ofFeatures(I).withLengths(),
        List.of(lstm, new Dense("d", 2, Activation.SOFTMAX, true)));
    Weights w = RefFixtures.weights(m, 11, 0.7);
    Map<String, Tensor> in = RefFixtures.inputs(m, B, T, LENGTHS, 12, 0);
    ReferenceModel ref = new ReferenceModel(m, w);
    RefTrace trace = ref.trace(in);
    Map<String, DoubleTensor> plain = ref.forward(in);
    assertEquals(plain.keySet(), trace.outputs().keySet());
    assertArrayEquals(plain.get("output").data(), trace.outputs().get("output").data(), 0.0);
    assertArrayEquals(LENGTHS, trace.lengths());
    assertEquals(List.of("l", "d"), trace.layers().stream().map(x -> x.layer().name()).toList());
    assertSame(trace.layer("l").output(), trace.layer("d").input());
    assertEquals(List.of("output"), List.copyOf(trace.layer("l").outputs().keySet()));
    assertTrue(trace.layer("d").directions().isEmpty());

    RecurrentTrace steps = trace.layer("l").direction("backward");
    assertTrue(steps.backwards());
    assertEquals(List.of("i", "f", "c", "o"), steps.gateNames());
    assertEquals(List.of("h", "c"), steps.stateNames());
    float[] p = w.get("l/peephole").data();
    float[] c0 = ((FloatTensor) in.get("l_c0")).data();
    DoubleTensor y = trace.layer("l").output();
    for (int b = 0; b < B; b++) {
      int len = LENGTHS[b];
      double[] cPrev = new double[H];
      for (int j = 0; j < H; j++) {
        cPrev[j] = c0[b * H + j];
      }
      for (int step = 0; step < len; step++) {
        assertEquals(len - 1 - step, steps.inputStep(b, step));
        double[] i = steps.gateAt("i", b, step);
        double[] f = steps.gateAt("f", b, step);
        double[] g = steps.gateAt("c", b, step);
        double[] o = steps.gateAt("o", b, step);
        double[] c = steps.stateAt("c", b, step);
        double[] h = steps.stateAt("h", b, step);
        for (int j = 0; j < H; j++) {
          assertEquals(f[j] * cPrev[j] + i[j] * g[j], c[j], 1e-15);
          assertEquals(o[j] * Math.tanh(c[j]), h[j], 1e-15);
          assertTrue(i[j] > 0 && i[j] < 1 && f[j] > 0 && f[j] < 1);
        }
        // go_backwards emits in processing order
        assertArrayEquals(h, row(y, b, step), 0.0);
        cPrev = c;
      }
      // steps never read hold zeros, by input time
      for (int t = len; t < T; t++) {
        assertArrayEquals(new double[H], row(steps.states().get("h"), b, t), 0.0);
        assertArrayEquals(new double[H], row(steps.gates().get("f"), b, t), 0.0);
      }
      int seq = b;
      assertThrows(IllegalArgumentException.class, () -> steps.inputStep(seq, len));
    }
    assertThrows(IllegalArgumentException.class, () -> trace.layer("nope"));
    assertThrows(IllegalArgumentException.class, () -> trace.layer("l").direction("forward"));
  }

  @Test
  void bidirectionalTraceHasBothDirectionsAndGruGatesBehave() {
    Bidirectional bi = new Bidirectional("bi", Gru.builder("x", H).returnSequences(true).build(), MergeMode.MUL);
    Sequential m = model(bi, true);
    Weights w = RefFixtures.weights(m, 13, 0.7);
    Map<String, Tensor> in = RefFixtures.inputs(m, B, T, LENGTHS, 14, 0);
    RefTrace trace = new ReferenceModel(m, w).trace(in);
    LayerTrace layer = trace.layer("bi");
    assertEquals(List.of("forward", "backward"), layer.directions().stream().map(RecurrentTrace::direction).toList());
    RecurrentTrace f = layer.direction("forward");
    RecurrentTrace b = layer.direction("backward");
    assertEquals(List.of("z", "r", "h"), f.gateNames());
    DoubleTensor y = layer.output();
    for (int s = 0; s < B; s++) {
      for (int t = 0; t < LENGTHS[s]; t++) {
        double[] hf = row(f.states().get("h"), s, t);
        double[] hb = row(b.states().get("h"), s, t);
        double[] merged = row(y, s, t);
        for (int j = 0; j < H; j++) {
          assertEquals(hf[j] * hb[j], merged[j], 1e-15, "mul merge at input step " + t);
        }
        // h = z ⊙ h_prev + (1 − z) ⊙ h~ in the forward direction
        double[] prev = t == 0 ? new double[H] : row(f.states().get("h"), s, t - 1);
        double[] z = row(f.gates().get("z"), s, t);
        double[] cand = row(f.gates().get("h"), s, t);
        for (int j = 0; j < H; j++) {
          assertEquals(z[j] * prev[j] + (1 - z[j]) * cand[j], hf[j], 1e-15);
        }
      }
    }
  }

  @Test
  void initialStatesChangeTheResultAndZerosEqualNoStateInputs() {
    Lstm with = Lstm.builder("l", H).stateInputs(true).returnSequences(true).build();
    Lstm without = Lstm.builder("l", H).returnSequences(true).build();
    Weights w = RefFixtures.weights(model(with, false), 15, 0.7);
    Map<String, Tensor> in = RefFixtures.inputs(model(with, false), B, T, null, 16, 0);
    ReferenceModel ref = new ReferenceModel(model(with, false), w);
    DoubleTensor given = ref.forward(in).get("output");
    Map<String, Tensor> zeros = new HashMap<>(in);
    zeros.put("l_h0", FloatTensor.zeros(B, H));
    zeros.put("l_c0", FloatTensor.zeros(B, H));
    DoubleTensor zero = ref.forward(zeros).get("output");
    DoubleTensor none = new ReferenceModel(model(without, false), w).forward(Map.of("input", in.get("input"))).get("output");
    assertArrayEquals(none.data(), zero.data(), 0.0);
    assertNotEquals(none.data()[0], given.data()[0]);
  }

  @Test
  void tokenModelWithLengthsRunsAndRejectsNothingValid() {
    Sequential m = new Sequential("m", ModelInput.ofTokens().withLengths(), List.of(
        new dev.rnnx.spec.Embedding("e", 5, 3, dev.rnnx.spec.Initializer.EMBEDDING),
        Gru.builder("g", H).build(), new Dense("d", 2, Activation.SOFTMAX, true)));
    Weights w = RefFixtures.weights(m, 17, 0.7);
    Map<String, Tensor> in = Map.of("input", LongTensor.of(new long[] {1, 4, 0, 0, 2, 3, 4, 1}, 2, 4),
        "lengths", LongTensor.of(new long[] {2, 4}, 2));
    DoubleTensor y = new ReferenceModel(m, w).forward(in).get("output");
    assertArrayEquals(new long[] {2, 2}, y.shape());
    assertEquals(1.0, y.data()[0] + y.data()[1], 1e-15);
    assertEquals(1.0, y.data()[2] + y.data()[3], 1e-15);
  }
}

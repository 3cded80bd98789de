package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each layer kind worked by hand on one unit and a few steps. */
class LayerHandComputedTest {

  static final double TOL = 1e-12;

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static Map<String, float[]> params(Object... nameThenValues) {
    Map<String, float[]> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenValues.length; i += 2) {
      m.put((String) nameThenValues[i], (float[]) nameThenValues[i + 1]);
    }
    return m;
  }

  static Map<String, DoubleTensor> run(Sequential m, Map<String, float[]> p, Map<String, Tensor> in) {
    return new ReferenceModel(m, RefFixtures.weights(p, m)).forward(in);
  }

  static FloatTensor seq(float... x) {
    return FloatTensor.of(x, 1, x.length, 1);
  }

  @Test
  void simpleRnnFromAGivenInitialState() {
    SimpleRnn rnn = SimpleRnn.builder("r", 1).stateInputs(true).returnSequences(true).returnState(true).build();
    Sequential m = new Sequential("m", 1, List.of(rnn));
    float w = 0.7f;
    float u = -0.4f;
    float b = 0.1f;
    float h0 = 0.5f;
    Map<String, Tensor> in = Map.of("input", seq(1.0f, -2.0f), "r_h0", FloatTensor.of(new float[] {h0}, 1, 1));
    Map<String, DoubleTensor> out = run(m, params("r/kernel", new float[] {w}, "r/recurrent_kernel", new float[] {u},
        "r/bias", new float[] {b}), in);
    double h1 = Math.tanh(w * 1.0 + u * h0 + b);
    double h2 = Math.tanh(w * -2.0 + u * h1 + b);
    assertArrayEquals(new double[] {h1, h2}, out.get("output").data(), TOL);
    assertEquals(h2, out.get("state_h").data()[0], TOL);
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID", "RELU", "HARD_SIGMOID", "SOFTSIGN", "SOFTPLUS", "ELU"})
  void everyRecurrentActivationByItsClosedForm(Activation a) {
    SimpleRnn rnn = SimpleRnn.builder("r", 1).activation(a).returnSequences(true).build();
    Sequential m = new Sequential("m", 1, List.of(rnn));
    double[] pre = {-3.5, -0.4, 0.0, 0.3, 2.6, 40};
    float[] x = new float[pre.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) pre[i];
    }
    // kernel 1, recurrent 0, bias 0: h_t = a(x_t)
    Map<String, DoubleTensor> out = run(m, params("r/kernel", new float[] {1}, "r/recurrent_kernel", new float[] {0},
        "r/bias", new float[] {0}), Map.of("input", FloatTensor.of(x, 1, x.length, 1)));
    for (int i = 0; i < pre.length; i++) {
      double v = x[i];
      double expected = switch (a) {
        case TANH -> Math.tanh(v);
        case SIGMOID -> 1 / (1 + Math.exp(-v));
        case RELU -> Math.max(0, v);
        case HARD_SIGMOID -> Math.max(0, Math.min(1, 0.2 * v + 0.5));
        case SOFTSIGN -> v / (1 + Math.abs(v));
        case SOFTPLUS -> Math.log(1 + Math.exp(v));
        case ELU -> v > 0 ? v : Math.exp(v) - 1;
        default -> throw new AssertionError(a);
      };
      assertEquals(expected, out.get("output").data()[i], 1e-12 * Math.max(1, Math.abs(expected)), a + "(" + v + ")");
    }
  }

  @Test
  void peepholeLstmSeesTheOldCellInIAndFAndTheNewCellInO() {
    Lstm lstm = Lstm.builder("l", 1).peephole(true).returnSequences(true).returnState(true).build();
    Sequential m = new Sequential("m", 1, List.of(lstm));
    float[] w = {0.5f, -0.25f, 1.0f, 0.75f};
    float[] u = {0.1f, 0.2f, -0.3f, 0.4f};
    float[] b = {0.0f, 1.0f, 0.05f, -0.1f};
    float[] p = {0.3f, -0.6f, 0.9f}; // i, f, o
    double[] xs = {0.8f, -1.2f, 0.4f};
    double h = 0;
    double c = 0;
    double[] hs = new double[3];
    for (int s = 0; s < 3; s++) {
      double i = sigmoid(xs[s] * w[0] + h * u[0] + b[0] + p[0] * c);
      double f = sigmoid(xs[s] * w[1] + h * u[1] + b[1] + p[1] * c);
      double g = Math.tanh(xs[s] * w[2] + h * u[2] + b[2]);
      c = f * c + i * g;
      double o = sigmoid(xs[s] * w[3] + h * u[3] + b[3] + p[2] * c);
      h = o * Math.tanh(c);
      hs[s] = h;
    }
    Map<String, DoubleTensor> out = run(m, params("l/kernel", w, "l/recurrent_kernel", u, "l/bias", b, "l/peephole", p),
        Map.of("input", seq(0.8f, -1.2f, 0.4f)));
    assertArrayEquals(hs, out.get("output").data(), TOL);
    assertEquals(h, out.get("state_h").data()[0], TOL);
    assertEquals(c, out.get("state_c").data()[0], TOL);
  }

  @Test
  void gruResetAfterAddsBothBiasesAndResetsTheRecurrentProduct() {
    Gru gru = Gru.builder("g", 1).resetAfter(true).returnSequences(true).build();
    Sequential m = new Sequential("m", 1, List.of(gru));
    float[] w = {0.6f, -0.8f, 1.1f}; // z, r, h
    float[] u = {0.3f, 0.5f, -0.7f};
    float[] b = {0.1f, -0.2f, 0.05f, /* recurrent */ -0.3f, 0.4f, 0.25f};
    double[] xs = {1.5f, -0.5f};
    double h = 0;
    double[] hs = new double[2];
    for (int s = 0; s < 2; s++) {
      double z = sigmoid(xs[s] * w[0] + b[0] + h * u[0] + b[3]);
      double r = sigmoid(xs[s] * w[1] + b[1] + h * u[1] + b[4]);
      double cand = Math.tanh(xs[s] * w[2] + b[2] + r * (h * u[2] + b[5]));
      h = z * h + (1 - z) * cand;
      hs[s] = h;
    }
    Map<String, DoubleTensor> out = run(m, params("g/kernel", w, "g/recurrent_kernel", u, "g/bias", b),
        Map.of("input", seq(1.5f, -0.5f)));
    assertArrayEquals(hs, out.get("output").data(), TOL);
  }

  @Test
  void gruResetBeforeResetsTheStateBeforeTheProduct() {
    Gru gru = Gru.builder("g", 2).resetAfter(false).returnSequences(false).build();
    Sequential m = new Sequential("m", 1, List.of(gru));
    // two units so that (r ⊙ h) · U mixes them; blocks z, r, h of 2 columns each
    float[] w = {0.6f, -0.1f, -0.8f, 0.2f, 1.1f, -0.9f};
    float[] u = {0.3f, 0.1f, 0.5f, -0.2f, -0.7f, 0.4f, /* row 2 */ 0.2f, -0.6f, 0.1f, 0.3f, 0.8f, -0.5f};
    float[] b = {0.1f, 0.0f, -0.2f, 0.1f, 0.05f, -0.05f};
    double[] xs = {1.5f, -0.5f};
    double[] h = new double[2];
    for (double x : xs) {
      double[] z = new double[2];
      double[] r = new double[2];
      for (int j = 0; j < 2; j++) {
        z[j] = sigmoid(x * w[j] + b[j] + h[0] * u[j] + h[1] * u[6 + j]);
        r[j] = sigmoid(x * w[2 + j] + b[2 + j] + h[0] * u[2 + j] + h[1] * u[8 + j]);
      }
      double[] next = new double[2];
      for (int j = 0; j < 2; j++) {
        double cand = Math.tanh(x * w[4 + j] + b[4 + j] + r[0] * h[0] * u[4 + j] + r[1] * h[1] * u[10 + j]);
        next[j] = z[j] * h[j] + (1 - z[j]) * cand;
      }
      h = next;
    }
    Map<String, DoubleTensor> out = run(m, params("g/kernel", w, "g/recurrent_kernel", u, "g/bias", b),
        Map.of("input", seq(1.5f, -0.5f)));
    assertArrayEquals(h, out.get("output").data(), TOL);
  }

  @Test
  void bidirectionalConcatAndSumOfTwoOneUnitRnns() {
    double[] xs = {1.0, -0.5, 2.0};
    // forward: kernel 0.5, recurrent 0.3; backward: kernel -0.4, recurrent 0.6 (as float32); no bias
    double wf = 0.5f;
    double uf = 0.3f;
    double wb = -0.4f;
    double ub = 0.6f;
    double[] f = new double[3];
    double hf = 0;
    for (int t = 0; t < 3; t++) {
      hf = Math.tanh(wf * xs[t] + uf * hf);
      f[t] = hf;
    }
    double[] bw = new double[3];
    double hb = 0;
    for (int t = 2; t >= 0; t--) {
      hb = Math.tanh(wb * xs[t] + ub * hb);
      bw[t] = hb; // aligned with input time
    }
    Map<String, float[]> p = params("bi/forward/kernel", new float[] {0.5f}, "bi/forward/recurrent_kernel",
        new float[] {0.3f}, "bi/backward/kernel", new float[] {-0.4f}, "bi/backward/recurrent_kernel", new float[] {0.6f});
    SimpleRnn inner = SimpleRnn.builder("x", 1).useBias(false).returnSequences(true).returnState(true).build();
    Map<String, Tensor> in = Map.of("input", seq(1.0f, -0.5f, 2.0f));

    Map<String, DoubleTensor> cat = run(new Sequential("m", 1, List.of(new Bidirectional("bi", inner, MergeMode.CONCAT))), p, in);
    assertArrayEquals(new long[] {1, 3, 2}, cat.get("output").shape());
    assertArrayEquals(new double[] {f[0], bw[0], f[1], bw[1], f[2], bw[2]}, cat.get("output").data(), TOL);
    assertEquals(f[2], cat.get("state_forward_h").data()[0], TOL);
    assertEquals(bw[0], cat.get("state_backward_h").data()[0], TOL, "the backward state is the one after reading x[0]");

    Map<String, DoubleTensor> sum = run(new Sequential("m", 1, List.of(new Bidirectional("bi", inner, MergeMode.SUM))), p, in);
    assertArrayEquals(new double[] {f[0] + bw[0], f[1] + bw[1], f[2] + bw[2]}, sum.get("output").data(), TOL);

    SimpleRnn last = SimpleRnn.builder("x", 1).useBias(false).build();
    Map<String, DoubleTensor> ave = run(new Sequential("m", 1, List.of(new Bidirectional("bi", last, MergeMode.AVE))), p, in);
    assertArrayEquals(new double[] {(f[2] + bw[0]) / 2}, ave.get("output").data(), TOL);
    Map<String, DoubleTensor> mul = run(new Sequential("m", 1, List.of(new Bidirectional("bi", last, MergeMode.MUL))), p, in);
    assertArrayEquals(new double[] {f[2] * bw[0]}, mul.get("output").data(), TOL);
  }

  @Test
  void softmaxRowsAreExponentialsOverTheirSumAndSumToOne() {
    Dense d = new Dense("d", 3, Activation.SOFTMAX, true);
    Sequential m = new Sequential("m", 2, List.of(d));
    float[] k = {1, 0, -1, 0.5f, 2, 0}; // [2, 3]
    float[] b = {0, 0.1f, -0.1f};
    float[] x = {0.3f, -1.0f, 100f, 200f}; // two steps; the second would overflow a naive exp
    Map<String, DoubleTensor> out = run(m, params("d/kernel", k, "d/bias", b), Map.of("input", FloatTensor.of(x, 1, 2, 2)));
    double x0 = 0.3f;
    double x1 = -1.0f;
    double[] z = new double[3];
    for (int j = 0; j < 3; j++) {
      z[j] = x0 * k[j] + x1 * k[3 + j] + b[j];
    }
    double s = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
    for (int j = 0; j < 3; j++) {
      assertEquals(Math.exp(z[j]) / s, out.get("output").data()[j], TOL);
    }
    double[] y = out.get("output").data();
    assertEquals(1.0, y[0] + y[1] + y[2], 1e-15);
    assertEquals(1.0, y[3] + y[4] + y[5], 1e-15);
    for (double v : y) {
      assertEquals(false, Double.isNaN(v));
    }
  }

  @Test
  void embeddingLooksUpRowsAndTimeDistributedActsPerStep() {
    Embedding e = new Embedding("emb", 4, 2, Initializer.EMBEDDING);
    TimeDistributed td = new TimeDistributed("td", new Dense("ignored", 1, Activation.LINEAR, true));
    Sequential m = new Sequential("m", ModelInput.ofTokens(), List.of(e, td));
    float[] table = {0, 0, 1, 2, 3, 4, -5, 6}; // row id = [a, b]
    Map<String, DoubleTensor> out = run(m, params("emb/embeddings", table, "td/kernel", new float[] {10, 1},
        "td/bias", new float[] {0.5f}), Map.of("input", LongTensor.of(new long[] {3, 1, 0, 2, 2, 3}, 2, 3)));
    // y = 10·a + b + 0.5 per step
    assertArrayEquals(new long[] {2, 3, 1}, out.get("output").shape());
    assertArrayEquals(new double[] {-43.5, 12.5, 0.5, 34.5, 34.5, -43.5}, out.get("output").data(), TOL);

    ReferenceModel ref = new ReferenceModel(new Sequential("m", ModelInput.ofTokens(), List.of(e)),
        RefFixtures.weights(params("emb/embeddings", table), new Sequential("m", ModelInput.ofTokens(), List.of(e))));
    RefTrace trace = ref.trace(Map.of("input", LongTensor.of(new long[] {3, 1}, 1, 2)));
    assertArrayEquals(new double[] {-5, 6, 1, 2}, trace.outputs().get("output").data(), TOL);
    assertArrayEquals(new double[] {3, 1}, trace.layer("emb").input().data(), TOL);
  }
}

package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Initializer.Kind;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Initial weights follow {@link Initializer}'s definitions and each layer's own initializers. */
class InitialWeightsTest {

  private static final int H = 5;
  private static final Sequential MODEL = new Sequential("init", 3, List.of(
      Lstm.of("lstm", H, false), new Dense("dense", 2, Activation.LINEAR, true)));

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(float[] v) {
    double m = mean(v);
    double s = 0;
    for (float x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }

  private static double maxAbs(float[] v) {
    double max = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    return max;
  }

  /** Mean ≈ 0 and the standard deviation each distribution implies, on a [200, 300] kernel. */
  @Test
  void distributionsHaveTheirDefinedStatistics() {
    int fanIn = 200;
    int fanOut = 300;
    int[] shape = {fanIn, fanOut};
    double sumFans = fanIn + fanOut;
    Object[][] cases = {
        {Initializer.normal(0.3), 0.3, Double.NaN},
        {new Initializer(Kind.UNIFORM, 0.05), 0.05 / Math.sqrt(3), 0.05},
        {Initializer.GLOROT_UNIFORM, Math.sqrt(6 / sumFans) / Math.sqrt(3), Math.sqrt(6 / sumFans)},
        {Initializer.of(Kind.GLOROT_NORMAL), Math.sqrt(2 / sumFans), 2 * Math.sqrt(2 / sumFans) / InitialWeights.TRUNCATION_CORRECTION},
        {Initializer.of(Kind.HE_UNIFORM), Math.sqrt(6.0 / fanIn) / Math.sqrt(3), Math.sqrt(6.0 / fanIn)},
        {Initializer.of(Kind.HE_NORMAL), Math.sqrt(2.0 / fanIn), 2 * Math.sqrt(2.0 / fanIn) / InitialWeights.TRUNCATION_CORRECTION},
    };
    for (Object[] c : cases) {
      Initializer init = (Initializer) c[0];
      double wantStd = (double) c[1];
      double bound = (double) c[2];
      float[] v = InitialWeights.sample(init, shape, new Random(5));
      int n = v.length;
      assertEquals(0, mean(v), 4 * wantStd / Math.sqrt(n), init + " mean");
      assertEquals(wantStd, std(v), 0.01 * wantStd, init + " standard deviation");
      if (!Double.isNaN(bound)) {
        assertTrue(maxAbs(v) <= bound * (1 + 1e-6), init + " exceeds " + bound + ": " + maxAbs(v));
        assertTrue(maxAbs(v) > bound * 0.95, init + " never comes near " + bound + ": " + maxAbs(v));
      }
    }
    float[] ones = InitialWeights.sample(Initializer.of(Kind.ONES), new int[] {7}, new Random(1));
    float[] zeros = InitialWeights.sample(Initializer.ZEROS, new int[] {7}, new Random(1));
    for (int i = 0; i < 7; i++) {
      assertEquals(1f, ones[i]);
      assertEquals(0f, zeros[i]);
    }
  }

  /** The fans of a vector are its length (Keras): glorot_uniform on [n] is U(±√(3/n)). */
  @Test
  void vectorFansAreTheLength() {
    float[] v = InitialWeights.sample(Initializer.GLOROT_UNIFORM, new int[] {3000}, new Random(2));
    double limit = Math.sqrt(6.0 / 6000);
    assertTrue(maxAbs(v) <= limit && maxAbs(v) > 0.99 * limit, "max " + maxAbs(v) + " for limit " + limit);
  }

  @Test
  void orthogonalIsOrthogonalTimesTheGain() {
    for (int[] shape : new int[][] {{6, 6}, {6, 24}, {24, 6}}) {
      for (double gain : new double[] {1, 1.5}) {
        float[] q = InitialWeights.sample(new Initializer(Kind.ORTHOGONAL, gain), shape, new Random(3));
        int rows = shape[0];
        int cols = shape[1];
        // the narrower side is orthonormal (times the gain): QᵀQ = g²I for tall, QQᵀ = g²I for wide
        boolean wide = rows < cols;
        int n = Math.min(rows, cols);
        int m = Math.max(rows, cols);
        for (int a = 0; a < n; a++) {
          for (int b = 0; b < n; b++) {
            double dot = 0;
            for (int k = 0; k < m; k++) {
              dot += wide ? (double) q[a * cols + k] * q[b * cols + k] : (double) q[k * cols + a] * q[k * cols + b];
            }
            assertEquals(a == b ? gain * gain : 0.0, dot, 1e-5, Arrays.toString(shape) + " gain " + gain + " (" + a + "," + b + ")");
          }
        }
      }
    }
  }

  @Test
  void kerasDefaultsForTheWalkingSkeleton() {
    Weights w = InitialWeights.generate(MODEL, 1).checkFits(MODEL);
    assertTrue(maxAbs(w.get("lstm/kernel").data()) <= Math.sqrt(6.0 / (3 + 4 * H)));
    assertTrue(maxAbs(w.get("dense/kernel").data()) <= Math.sqrt(6.0 / (H + 2)));
    float[] bias = w.get("lstm/bias").data();
    for (int j = 0; j < 4 * H; j++) {
      assertEquals(j >= H && j < 2 * H ? 1f : 0f, bias[j], "lstm/bias[" + j + "]");
    }
    for (float v : w.get("dense/bias").data()) {
      assertEquals(0f, v);
    }
  }

  /** Each layer kind draws each parameter from its own initializer. */
  @Test
  void eachParameterUsesItsLayersInitializer() {
    Initializer ones = Initializer.of(Kind.ONES);
    Sequential model = new Sequential("wiring", ModelInput.ofTokens(), List.of(
        new Embedding("embed", 50, 40, Initializer.EMBEDDING),
        Lstm.builder("lstm", H).peephole(true).biasInitializer(ones).returnSequences(true).build(),
        Gru.builder("gru", H).kernelInitializer(Initializer.ZEROS).recurrentInitializer(new Initializer(Kind.ORTHOGONAL, 2))
            .biasInitializer(ones).returnSequences(true).build(),
        new Bidirectional("bi", SimpleRnn.builder("inner", H).biasInitializer(Initializer.normal(0.1)).returnSequences(true)
            .build(), MergeMode.CONCAT),
        new TimeDistributed("td", new Dense("inner", 3, Activation.SOFTMAX, false, Initializer.of(Kind.HE_UNIFORM), Initializer.ZEROS))));
    Weights w = InitialWeights.generate(model, 7).checkFits(model);
    float[] embeddings = w.get("embed/embeddings").data();
    assertTrue(maxAbs(embeddings) <= 0.05 && maxAbs(embeddings) > 0.049, "embedding U(±0.05)");
    // unit_forget_bias adds 1 after the bias initializer: ones, twos on the forget block
    float[] lstmBias = w.get("lstm/bias").data();
    for (int j = 0; j < 4 * H; j++) {
      assertEquals(j >= H && j < 2 * H ? 2f : 1f, lstmBias[j], "lstm/bias[" + j + "]");
    }
    // peepholes: kernel initializer (glorot_uniform) per gate vector [H]: U(±√(3/H))
    float[] peephole = w.get("lstm/peephole").data();
    assertTrue(maxAbs(peephole) <= Math.sqrt(3.0 / H) && maxAbs(peephole) > 0, "peephole " + Arrays.toString(peephole));
    assertEquals(0, maxAbs(w.get("gru/kernel").data()));
    assertEquals(List.of(2L, 3L * H), Arrays.stream(w.get("gru/bias").shape()).boxed().toList());
    for (float v : w.get("gru/bias").data()) {
      assertEquals(1f, v);
    }
    float[] u = w.get("gru/recurrent_kernel").data(); // [H, 3H], rows orthogonal, gain 2
    for (int a = 0; a < H; a++) {
      double dot = 0;
      for (int k = 0; k < 3 * H; k++) {
        dot += (double) u[a * 3 * H + k] * u[a * 3 * H + k];
      }
      assertEquals(4.0, dot, 1e-5);
    }
    assertFalse(Arrays.equals(w.get("bi/forward/kernel").data(), w.get("bi/backward/kernel").data()),
        "both directions drew the same values");
    assertTrue(maxAbs(w.get("bi/forward/bias").data()) > 0, "normal(0.1) bias");
    assertTrue(maxAbs(w.get("td/kernel").data()) <= Math.sqrt(6.0 / (2 * H)), "he_uniform on the time-distributed kernel");
  }

  @Test
  void deterministicPerSeedAndIndependentPerParameter() {
    assertEquals(InitialWeights.generate(MODEL, 9), InitialWeights.generate(MODEL, 9));
    assertNotEquals(InitialWeights.generate(MODEL, 9), InitialWeights.generate(MODEL, 10));
    // a parameter's values do not depend on the layers before it
    Sequential bigger = new Sequential("init", 3, List.of(
        Lstm.of("lstm", H, false), new Dense("dense", 2, Activation.LINEAR, true), new Dense("dense_1", 1, Activation.LINEAR, true)));
    assertEquals(InitialWeights.generate(MODEL, 9).get("dense/kernel"), InitialWeights.generate(bigger, 9).get("dense/kernel"));
  }
}

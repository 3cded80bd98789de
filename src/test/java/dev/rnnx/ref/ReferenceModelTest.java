package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceModelTest {

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** One unit, one feature: the LSTM equations worked by hand for two steps. */
  @Test
  void lstmMatchesHandComputedSteps() {
    Lstm lstm = new Lstm("l", 1, true, true, Activation.TANH, Activation.SIGMOID, true);
    Sequential m = new Sequential("m", 1, List.of(lstm));
    // gate blocks i, f, c, o
    float[] w = {0.5f, -0.25f, 1.0f, 0.75f};
    float[] u = {0.1f, 0.2f, -0.3f, 0.4f};
    float[] b = {0.0f, 1.0f, 0.05f, -0.1f};
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    t.put("l/kernel", FloatTensor.of(w, 1, 4));
    t.put("l/recurrent_kernel", FloatTensor.of(u, 1, 4));
    t.put("l/bias", FloatTensor.of(b, 4));
    double[] xs = {0.8, -1.2};
    double h = 0;
    double c = 0;
    double[] hs = new double[2];
    for (int s = 0; s < 2; s++) {
      double i = sigmoid(xs[s] * w[0] + h * u[0] + b[0]);
      double f = sigmoid(xs[s] * w[1] + h * u[1] + b[1]);
      double g = Math.tanh(xs[s] * w[2] + h * u[2] + b[2]);
      double o = sigmoid(xs[s] * w[3] + h * u[3] + b[3]);
      c = f * c + i * g;
      h = o * Math.tanh(c);
      hs[s] = h;
    }
    Map<String, DoubleTensor> out = new ReferenceModel(m, new Weights(t))
        .forward(Map.of("input", FloatTensor.of(new float[] {0.8f, -1.2f}, 1, 2, 1)));
    assertArrayEquals(new long[] {1, 2, 1}, out.get("output").shape());
    assertEquals(hs[0], out.get("output").data()[0], 1e-7);
    assertEquals(hs[1], out.get("output").data()[1], 1e-7);
    assertEquals(hs[1], out.get("state_h").data()[0], 1e-7);
    assertEquals(c, out.get("state_c").data()[0], 1e-7);
  }

  @Test
  void denseActsOnEveryStepAndBatchRowsAreIndependent() {
    Dense d = new Dense("d", 2, Activation.RELU, true);
    Sequential m = new Sequential("m", 2, List.of(Lstm.of("l", 3, true), d));
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    t.put("l/kernel", FloatTensor.of(ramp(24, 0.05f), 2, 12));
    t.put("l/recurrent_kernel", FloatTensor.of(ramp(36, -0.02f), 3, 12));
    t.put("l/bias", FloatTensor.of(ramp(12, 0.01f), 12));
    t.put("d/kernel", FloatTensor.of(new float[] {1, -1, 2, 0.5f, -1, 1}, 3, 2));
    t.put("d/bias", FloatTensor.of(new float[] {0.1f, -0.1f}, 2));
    ReferenceModel ref = new ReferenceModel(m, new Weights(t));
    float[] x = ramp(2 * 3 * 2, 0.3f);
    FloatTensor both = ref.run(Map.of("input", FloatTensor.of(x, 2, 3, 2))).get("output");
    float[] second = new float[6];
    System.arraycopy(x, 6, second, 0, 6);
    FloatTensor alone = ref.run(Map.of("input", FloatTensor.of(second, 1, 3, 2))).get("output");
    assertArrayEquals(new long[] {2, 3, 2}, both.shape());
    for (int i = 0; i < 6; i++) {
      assertEquals(alone.data()[i], both.data()[6 + i]);
      assertTrue(both.data()[i] >= 0, "relu output");
    }
  }

  @Test
  void badInputsAreRefusedBeforeComputing() {
    Sequential m = new Sequential("m", 1, List.of(Lstm.of("l", 1, false)));
    Map<String, FloatTensor> t = Map.of(
        "l/kernel", FloatTensor.zeros(1, 4), "l/recurrent_kernel", FloatTensor.zeros(1, 4), "l/bias", FloatTensor.zeros(4));
    ReferenceModel ref = new ReferenceModel(m, new Weights(t));
    assertThrows(IllegalArgumentException.class, () -> ref.run(Map.of("input", FloatTensor.zeros(1, 0, 1))));
    assertThrows(IllegalArgumentException.class, () -> ref.run(Map.of("input", FloatTensor.zeros(1, 2, 3))));
    assertThrows(IllegalArgumentException.class, () -> ref.run(Map.of("x", FloatTensor.zeros(1, 2, 1))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ref.run(Map.of("input", FloatTensor.of(new float[] {1, Float.NaN}, 1, 2, 1))));
    assertTrue(e.getMessage().contains("input 'input' holds NaN at [0, 1, 0], expected finite values"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ReferenceModel(m, new Weights(Map.of())));
  }

  static float[] ramp(int n, float step) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) Math.sin(i * 1.7 + 0.3) * step * 10;
    }
    return v;
  }
}

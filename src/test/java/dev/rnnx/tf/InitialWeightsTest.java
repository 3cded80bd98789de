package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitialWeightsTest {

  private static final int H = 5;
  private static final Sequential MODEL = new Sequential("init", 3, List.of(
      Lstm.of("lstm", H, false), new Dense("dense", 2, Activation.LINEAR, true)));

  @Test
  void kerasDefaults() {
    Weights w = InitialWeights.generate(MODEL, 1).checkFits(MODEL);
    assertWithin(w.get("lstm/kernel").data(), Math.sqrt(6.0 / (3 + 4 * H)));
    assertWithin(w.get("dense/kernel").data(), Math.sqrt(6.0 / (H + 2)));
    float[] bias = w.get("lstm/bias").data();
    for (int j = 0; j < 4 * H; j++) {
      assertEquals(j >= H && j < 2 * H ? 1f : 0f, bias[j], "lstm/bias[" + j + "]");
    }
    for (float v : w.get("dense/bias").data()) {
      assertEquals(0f, v);
    }
    // recurrent_kernel [H, 4H] has orthonormal rows: U · Uᵀ = I.
    float[] u = w.get("lstm/recurrent_kernel").data();
    for (int a = 0; a < H; a++) {
      for (int b = 0; b < H; b++) {
        double dot = 0;
        for (int k = 0; k < 4 * H; k++) {
          dot += (double) u[a * 4 * H + k] * u[b * 4 * H + k];
        }
        assertEquals(a == b ? 1.0 : 0.0, dot, 1e-6, "row " + a + " · row " + b);
      }
    }
  }

  @Test
  void squareRecurrentKernelIsOrthogonal() {
    float[] q = InitialWeights.orthogonal(new int[] {4, 4}, new java.util.Random(3));
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        double dot = 0;
        for (int k = 0; k < 4; k++) {
          dot += (double) q[k * 4 + a] * q[k * 4 + b];
        }
        assertEquals(a == b ? 1.0 : 0.0, dot, 1e-6);
      }
    }
  }

  @Test
  void deterministicPerSeed() {
    assertEquals(InitialWeights.generate(MODEL, 9), InitialWeights.generate(MODEL, 9));
    assertNotEquals(InitialWeights.generate(MODEL, 9), InitialWeights.generate(MODEL, 10));
  }

  private static void assertWithin(float[] values, double limit) {
    double max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    assertTrue(max <= limit && max > limit / 2, "max |w| " + max + " for limit " + limit);
  }
}

package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import java.util.Random;

/**
 * The tiny test model in plain Java: {@code pre = input · W + b}, {@code output = tanh(pre)},
 * {@code state_h = pre}, for an input {@code [batch, time, 3]}. Both test artifacts (ONNX and
 * SavedModel) compute exactly this.
 */
public final class TinyMath {

  static final float[][] W = {{0.5f, -0.25f}, {0.75f, 0.1f}, {-0.3f, 0.6f}};
  static final float[] B = {0.05f, -0.1f};
  static final int IN = 3;
  static final int OUT = 2;

  private TinyMath() {}

  /** A deterministic input of shape {@code [batch, time, 3]} with values in [-2, 2). */
  public static FloatTensor input(int batch, int time, long seed) {
    Random r = new Random(seed);
    float[] x = new float[batch * time * IN];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextFloat() * 4f - 2f;
    }
    return FloatTensor.of(x, batch, time, IN);
  }

  /** {@code input · W + b}, in double precision, shape {@code [batch, time, 2]}. */
  static double[] pre(FloatTensor input) {
    int rows = input.size() / IN;
    float[] x = input.data();
    double[] y = new double[rows * OUT];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < OUT; j++) {
        double s = B[j];
        for (int k = 0; k < IN; k++) {
          s += (double) x[r * IN + k] * W[k][j];
        }
        y[r * OUT + j] = s;
      }
    }
    return y;
  }

  /** {@code tanh(input · W + b)}, in double precision. */
  public static double[] output(FloatTensor input) {
    double[] y = pre(input);
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.tanh(y[i]);
    }
    return y;
  }

  /** The largest absolute difference. */
  public static double maxAbsDiff(double[] expected, float[] actual) {
    if (expected.length != actual.length) {
      throw new AssertionError("length " + actual.length + " != " + expected.length);
    }
    double m = 0;
    for (int i = 0; i < expected.length; i++) {
      m = Math.max(m, Math.abs(expected[i] - actual[i]));
    }
    return m;
  }
}

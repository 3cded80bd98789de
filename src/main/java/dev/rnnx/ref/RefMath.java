package dev.rnnx.ref;

import dev.rnnx.spec.Activation;
import dev.rnnx.weights.Weights;

/** Small double-precision kernels shared by the attention, Transformer and seq2seq forwards. */
final class RefMath {

  private RefMath() {}

  /**
   * {@code y = x · W + b} for {@code rows} rows of {@code x [rows, in]}: {@code W [in, out]}
   * row-major, {@code b [out]} or {@code null}.
   */
  static double[] linear(double[] x, int rows, int in, double[] w, int out, double[] b) {
    if (!RefKernels.naive()) {
      return RefKernels.linear(x, rows, in, w, out, b, true);
    }
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      int yOff = r * out;
      if (b != null) {
        System.arraycopy(b, 0, y, yOff, out);
      }
      for (int k = 0; k < in; k++) {
        double xk = x[r * in + k];
        if (xk == 0) {
          continue;
        }
        int base = k * out;
        for (int j = 0; j < out; j++) {
          y[yOff + j] += xk * w[base + j];
        }
      }
    }
    return y;
  }

  /** {@code y = x · kernel + bias} with the parameters {@code <prefix>/kernel [in, out]} and {@code <prefix>/bias [out]}. */
  static double[] dense(double[] x, int rows, int in, Weights weights, String prefix, int out) {
    double[] w = RecurrentCell.param(weights, prefix + "/kernel", in * out);
    double[] b = RecurrentCell.param(weights, prefix + "/bias", out);
    return linear(x, rows, in, w, out, b);
  }

  /**
   * Layer normalisation of each row of {@code x [rows, d]}: {@code (x − mean) / sqrt(var + eps)},
   * biased variance, then {@code · gamma} and {@code + beta} when given.
   */
  static double[] layerNorm(double[] x, int rows, int d, double[] gamma, double[] beta, double eps) {
    double[] y = new double[rows * d];
    for (int r = 0; r < rows; r++) {
      int off = r * d;
      double mean = 0;
      for (int j = 0; j < d; j++) {
        mean += x[off + j];
      }
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) {
        double c = x[off + j] - mean;
        var += c * c;
      }
      var /= d;
      double inv = 1.0 / Math.sqrt(var + eps);
      for (int j = 0; j < d; j++) {
        double v = (x[off + j] - mean) * inv;
        if (gamma != null) {
          v *= gamma[j];
        }
        if (beta != null) {
          v += beta[j];
        }
        y[off + j] = v;
      }
    }
    return y;
  }

  /** Layer normalisation with {@code <prefix>/gamma} and {@code <prefix>/beta}. */
  static double[] layerNorm(double[] x, int rows, int d, Weights weights, String prefix, double eps) {
    return layerNorm(x, rows, d, RecurrentCell.param(weights, prefix + "/gamma", d),
        RecurrentCell.param(weights, prefix + "/beta", d), eps);
  }

  /**
   * Softmax of {@code s[off … off+n)} in place over its first {@code valid} entries (stabilised
   * by their maximum); entries {@code valid … n−1} become exactly 0.
   */
  static void maskedSoftmax(double[] s, int off, int n, int valid) {
    if (valid < 1 || valid > n) {
      throw new IllegalStateException("valid keys " + valid + " outside 1 … " + n);
    }
    Activation.softmaxInPlace(s, off, valid);
    for (int j = valid; j < n; j++) {
      s[off + j] = 0.0;
    }
  }

  /** {@code log_softmax} of {@code v[off … off+n)} in place: {@code v − max − log Σ exp(v − max)}. */
  static void logSoftmax(double[] v, int off, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, v[off + i]);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.exp(v[off + i] - max);
    }
    double log = Math.log(sum);
    for (int i = 0; i < n; i++) {
      v[off + i] = v[off + i] - max - log;
    }
  }

  /** Element-wise {@code max(0, v)} in place. */
  static void relu(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] > 0 ? v[i] : 0.0;
    }
  }

  /** {@code a + b}, element-wise, into a new array. */
  static double[] add(double[] a, double[] b) {
    double[] y = new double[a.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = a[i] + b[i];
    }
    return y;
  }
}

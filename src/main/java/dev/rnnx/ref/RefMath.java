package dev.rnnx.ref;

import dev.rnnx.spec.Activation;
import dev.rnnx.weights.Weights;

/** Small double-precision kernels shared by the attention, Transformer and seq2seq forwards. */
public final class RefMath {

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

  /** Below this magnitude {@link #tanh} sums its Taylor series, above it uses {@link Math#exp}. */
  static final double TANH_SERIES_LIMIT = 0.55;
  /** At or above this magnitude tanh rounds to ±1 in double precision (1 − tanh(22) < 2⁻⁶³). */
  static final double TANH_SATURATION = 22;
  /**
   * Taylor coefficients of {@code tanh x = x + x·Σ_{n≥1} T[n−1]·x^{2n}}: {@code 2^{2m}(2^{2m}−1)B_{2m}/(2m)!}
   * for m = 2 … 19 (−1/3, 2/15, −17/315, …). At {@code |x| < 0.55} the omitted terms are below
   * 5·10⁻¹⁸ relative.
   */
  private static final double[] TANH_SERIES = {-0.3333333333333333, 0.13333333333333333, -0.05396825396825397,
      0.021869488536155203, -0.008863235529902197, 0.003592128036572481, -0.0014558343870513183,
      0.000590027440945586, -0.00023912911424355248, 9.691537956929451e-05, -3.927832388331683e-05,
      1.5918905069328964e-05, -6.451689215655431e-06, 2.6147711512907546e-06, -1.0597268320104654e-06,
      4.294911078273806e-07, -1.7406618963571648e-07, 7.054636946400968e-08};

  /**
   * {@code tanh x} in double precision without {@link Math#tanh} (on JDK 17 a native fdlibm call,
   * about 23 ns): at most 2 ulps from {@link StrictMath#tanh} ({@code RefMathTest} checks a dense
   * sweep of [−30, 30], the tails, ±0, subnormals, ±∞ and NaN). Odd; |result| ≤ 1.
   *
   * <ul>
   *   <li>{@code |x| < 2⁻²⁸}: {@code x} (the cubic term is below half an ulp), ±0 and subnormals included;
   *   <li>{@code |x| < 0.55}: {@code x + x·(s·P(s))}, {@code s = x²}, the Taylor polynomial P of
   *       degree 17 in s (Estrin's scheme); the correction is at most a tenth of {@code x}, so
   *       its rounding errors stay below an ulp of the result;
   *   <li>{@code |x| < 22}: {@code ±(1 − 2/(e^{2|x|} + 1))}: relative error at most
   *       {@code 2⁻⁵¹·q/t + 2⁻⁵³} with {@code q = 2/(e^{2|x|}+1) ≤ t}, so under 2.5 ulps;
   *   <li>otherwise ±1, and NaN for NaN.
   * </ul>
   */
  public static double tanh(double x) {
    double y = Math.abs(x);
    if (y < TANH_SERIES_LIMIT) {
      if (y < 0x1p-28) {
        return x;
      }
      double[] c = TANH_SERIES;
      double s = x * x;
      double s2 = s * s;
      double s4 = s2 * s2;
      double s8 = s4 * s4;
      double q0 = (c[0] + c[1] * s) + (c[2] + c[3] * s) * s2;
      double q1 = (c[4] + c[5] * s) + (c[6] + c[7] * s) * s2;
      double q2 = (c[8] + c[9] * s) + (c[10] + c[11] * s) * s2;
      double q3 = (c[12] + c[13] * s) + (c[14] + c[15] * s) * s2;
      double p = (q0 + q1 * s4) + (q2 + q3 * s4) * s8 + (c[16] + c[17] * s) * (s8 * s8);
      return x + x * (s * p);
    }
    if (y < TANH_SATURATION) {
      double t = 1.0 - 2.0 / (Math.exp(2.0 * y) + 1.0);
      return x < 0 ? -t : t;
    }
    return Double.isNaN(x) ? x : Math.copySign(1.0, x);
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

package dev.rnnx.ref;

import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.weights.Weights;

/**
 * Attention and Transformer blocks written out the plainest way, on {@code double[t][j]} arrays
 * of one sequence, for tests to compare the reference forwards with. No code is shared with
 * {@code dev.rnnx.ref}.
 */
final class Direct {

  private Direct() {}

  static double[][] matrix(Weights w, String name, int rows, int cols) {
    float[] f = w.get(name).data();
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = f[i * cols + j];
      }
    }
    return m;
  }

  static double[] vector(Weights w, String name) {
    float[] f = w.get(name).data();
    double[] v = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = f[i];
    }
    return v;
  }

  /** {@code x · W + b}. */
  static double[][] affine(double[][] x, double[][] w, double[] b) {
    double[][] y = new double[x.length][w[0].length];
    for (int t = 0; t < x.length; t++) {
      for (int j = 0; j < w[0].length; j++) {
        double s = b == null ? 0 : b[j];
        for (int k = 0; k < w.length; k++) {
          s += x[t][k] * w[k][j];
        }
        y[t][j] = s;
      }
    }
    return y;
  }

  /** Softmax of {@code s[0 … valid)}, zeros after. */
  static double[] softmax(double[] s, int valid) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < valid; j++) {
      max = Math.max(max, s[j]);
    }
    double sum = 0;
    double[] p = new double[s.length];
    for (int j = 0; j < valid; j++) {
      p[j] = Math.exp(s[j] - max);
      sum += p[j];
    }
    for (int j = 0; j < valid; j++) {
      p[j] /= sum;
    }
    return p;
  }

  /** Multi-head attention of one sequence, queries {@code q}, keys/values {@code kv}, the first {@code len} keys valid. */
  static double[][] mha(Weights w, String p, int heads, int keyDim, double[][] q, double[][] kv, int len, boolean causal) {
    int dq = q[0].length;
    int dkv = kv[0].length;
    int inner = heads * keyDim;
    double[][] qs = affine(q, matrix(w, p + "/query/kernel", dq, inner), vector(w, p + "/query/bias"));
    double[][] ks = affine(kv, matrix(w, p + "/key/kernel", dkv, inner), vector(w, p + "/key/bias"));
    double[][] vs = affine(kv, matrix(w, p + "/value/kernel", dkv, inner), vector(w, p + "/value/bias"));
    double[][] ctx = new double[q.length][inner];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < q.length; i++) {
        double[] s = new double[kv.length];
        for (int j = 0; j < kv.length; j++) {
          for (int k = 0; k < keyDim; k++) {
            s[j] += qs[i][h * keyDim + k] * ks[j][h * keyDim + k];
          }
          s[j] /= Math.sqrt(keyDim);
        }
        double[] a = softmax(s, causal ? Math.min(len, i + 1) : len);
        for (int j = 0; j < kv.length; j++) {
          for (int k = 0; k < keyDim; k++) {
            ctx[i][h * keyDim + k] += a[j] * vs[j][h * keyDim + k];
          }
        }
      }
    }
    return affine(ctx, matrix(w, p + "/output/kernel", inner, dq), vector(w, p + "/output/bias"));
  }

  static double[][] layerNorm(double[][] x, double[] gamma, double[] beta, double eps) {
    double[][] y = new double[x.length][x[0].length];
    for (int t = 0; t < x.length; t++) {
      int d = x[t].length;
      double mean = 0;
      for (double v : x[t]) {
        mean += v / d;
      }
      double var = 0;
      for (double v : x[t]) {
        var += (v - mean) * (v - mean) / d;
      }
      for (int j = 0; j < d; j++) {
        y[t][j] = (x[t][j] - mean) / Math.sqrt(var + eps) * gamma[j] + beta[j];
      }
    }
    return y;
  }

  static double[][] plus(double[][] a, double[][] b) {
    double[][] y = new double[a.length][a[0].length];
    for (int t = 0; t < a.length; t++) {
      for (int j = 0; j < a[0].length; j++) {
        y[t][j] = a[t][j] + b[t][j];
      }
    }
    return y;
  }

  static double[][] norm(Weights w, String p, double[][] x, double eps) {
    return layerNorm(x, vector(w, p + "/gamma"), vector(w, p + "/beta"), eps);
  }

  static double[][] ffn(Weights w, String p, double[][] a, int ff) {
    int d = a[0].length;
    double[][] h = affine(a, matrix(w, p + "/ffn_inner/kernel", d, ff), vector(w, p + "/ffn_inner/bias"));
    for (double[] row : h) {
      for (int j = 0; j < row.length; j++) {
        row[j] = Math.max(0, row[j]);
      }
    }
    return affine(h, matrix(w, p + "/ffn_outer/kernel", ff, d), vector(w, p + "/ffn_outer/bias"));
  }

  /** A post-LN encoder block on one sequence. */
  static double[][] encoderBlock(Weights w, String p, double[][] x, int len, int heads, int ff, double eps, boolean causal) {
    int d = x[0].length;
    double[][] a = norm(w, p + "/attention_norm", plus(x, mha(w, p + "/attention", heads, d / heads, x, x, len, causal)), eps);
    return norm(w, p + "/ffn_norm", plus(a, ffn(w, p, a, ff)), eps);
  }

  /**
   * A pre-LN block with the exact gelu, on one sequence: {@code a = x + MHA(LN1(x))},
   * {@code y = a + W2·gelu(W1·LN2(a))}, gelu by erf's Taylor series (not the forward's rational form).
   */
  static double[][] preNormGeluBlock(Weights w, String p, double[][] x, int len, int heads, int ff, double eps, boolean causal) {
    int d = x[0].length;
    double[][] n1 = norm(w, p + "/attention_norm", x, eps);
    double[][] a = plus(x, mha(w, p + "/attention", heads, d / heads, n1, n1, len, causal));
    double[][] h = affine(norm(w, p + "/ffn_norm", a, eps), matrix(w, p + "/ffn_inner/kernel", d, ff),
        vector(w, p + "/ffn_inner/bias"));
    for (double[] row : h) {
      for (int j = 0; j < row.length; j++) {
        row[j] = 0.5 * row[j] * (1 + erfSeries(row[j] / Math.sqrt(2)));
      }
    }
    return plus(a, affine(h, matrix(w, p + "/ffn_outer/kernel", ff, d), vector(w, p + "/ffn_outer/bias")));
  }

  /**
   * {@code erf(z) = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (2n+1)!!}: terms of one sign, so no cancellation;
   * ±1 beyond |z| = 6, as far as doubles tell.
   */
  static double erfSeries(double z) {
    if (Math.abs(z) > 6) {
      return Math.signum(z);
    }
    double term = z;
    double sum = z;
    for (int n = 1; n < 400; n++) {
      term *= 2 * z * z / (2 * n + 1);
      sum += term;
    }
    return 2 / Math.sqrt(Math.PI) * Math.exp(-z * z) * sum;
  }

  /** A post-LN decoder block on one sequence. */
  static double[][] decoderBlock(Weights w, String p, double[][] x, double[][] memory, int len, int heads, int ff, double eps) {
    int d = x[0].length;
    double[][] a = norm(w, p + "/self_attention_norm",
        plus(x, mha(w, p + "/self_attention", heads, d / heads, x, x, x.length, true)), eps);
    double[][] c = norm(w, p + "/cross_attention_norm",
        plus(a, mha(w, p + "/cross_attention", heads, d / heads, a, memory, len, false)), eps);
    return norm(w, p + "/ffn_norm", plus(c, ffn(w, p, c, ff)), eps);
  }

  /** Rows of an embedding table times √d plus the position signal. */
  static double[][] embedWithPositions(Weights w, String table, long[] ids, int d) {
    double[][] all = matrix(w, table, (int) w.get(table).shape()[0], d);
    double[][] x = new double[ids.length][d];
    for (int t = 0; t < ids.length; t++) {
      for (int j = 0; j < d; j++) {
        x[t][j] = all[(int) ids[t]][j] * Math.sqrt(d) + PositionalEncoding.signal(t, j, d);
      }
    }
    return x;
  }

  /** {@code log_softmax} of every row. */
  static double[][] logSoftmax(double[][] x) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : x[t]) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (double v : x[t]) {
        sum += Math.exp(v - max);
      }
      y[t] = new double[x[t].length];
      for (int j = 0; j < x[t].length; j++) {
        y[t][j] = x[t][j] - max - Math.log(sum);
      }
    }
    return y;
  }

  /** Sequence {@code b} of {@code x [B, T, d]} as rows. */
  static double[][] rows(double[] x, int b, int time, int d) {
    double[][] r = new double[time][d];
    for (int t = 0; t < time; t++) {
      System.arraycopy(x, (b * time + t) * d, r[t], 0, d);
    }
    return r;
  }
}

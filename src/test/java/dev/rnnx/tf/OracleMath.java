package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.weights.Weights;

/**
 * The attention family in double precision, written from the spec's Javadoc and independently
 * of the TF graphs: plain loops over {@code double[B][T][d]}. Used by {@link Oracle}.
 */
final class OracleMath {

  private OracleMath() {}

  static double[] vec(Weights w, String name) {
    float[] f = w.get(name).data();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  static double[][] mat(Weights w, String name) {
    long[] s = w.get(name).shape();
    float[] f = w.get(name).data();
    double[][] m = new double[(int) s[0]][(int) s[1]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        m[i][j] = f[(int) (i * s[1] + j)];
      }
    }
    return m;
  }

  static double[][][] to3(DoubleTensor t) {
    int b = t.dim(0);
    int n = t.dim(1);
    int d = t.dim(2);
    double[][][] x = new double[b][n][d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        System.arraycopy(t.data(), (i * n + j) * d, x[i][j], 0, d);
      }
    }
    return x;
  }

  static DoubleTensor from3(double[][][] x) {
    int b = x.length;
    int n = x[0].length;
    int d = x[0][0].length;
    double[] v = new double[b * n * d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < n; j++) {
        System.arraycopy(x[i][j], 0, v, (i * n + j) * d, d);
      }
    }
    return new DoubleTensor(new long[] {b, n, d}, v);
  }

  static DoubleTensor from2(double[][] x) {
    int b = x.length;
    int d = x[0].length;
    double[] v = new double[b * d];
    for (int i = 0; i < b; i++) {
      System.arraycopy(x[i], 0, v, i * d, d);
    }
    return new DoubleTensor(new long[] {b, d}, v);
  }

  /** {@code x · m (+ bias)} for a row vector. */
  static double[] affine(double[] x, double[][] m, double[] bias) {
    int out = m[0].length;
    double[] y = new double[out];
    for (int j = 0; j < out; j++) {
      double s = bias == null ? 0 : bias[j];
      for (int i = 0; i < x.length; i++) {
        s += x[i] * m[i][j];
      }
      y[j] = s;
    }
    return y;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[] concat(double[] a, double[] b) {
    double[] c = new double[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Softmax over the allowed entries; the others get exactly 0. */
  static double[] softmax(double[] s, boolean[] allowed) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < s.length; i++) {
      if (allowed[i]) {
        max = Math.max(max, s[i]);
      }
    }
    double sum = 0;
    double[] p = new double[s.length];
    for (int i = 0; i < s.length; i++) {
      if (allowed[i]) {
        p[i] = Math.exp(s[i] - max);
        sum += p[i];
      }
    }
    for (int i = 0; i < s.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  static double[] logSoftmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v - max);
    }
    double log = max + Math.log(sum);
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) {
      out[i] = z[i] - log;
    }
    return out;
  }

  /** Which keys query {@code t} of sequence {@code b} may see. */
  static boolean[] allowed(int keys, int t, int[] lengths, int b, boolean causal) {
    boolean[] a = new boolean[keys];
    for (int s = 0; s < keys; s++) {
      a[s] = (lengths == null || s < lengths[b]) && (!causal || s <= t);
    }
    return a;
  }

  /** The score of query q against key k ({@link AttentionScore}), parameters under {@code prefix}. */
  static double score(Weights w, String prefix, AttentionScore score, double[] q, double[] k) {
    switch (score) {
      case DOT:
        return dot(q, k);
      case SCALED_DOT:
        return dot(q, k) / Math.sqrt(k.length);
      case GENERAL:
        return dot(affine(q, mat(w, prefix + "/kernel"), null), k);
      case ADDITIVE: {
        double[] a = affine(q, mat(w, prefix + "/query_kernel"), null);
        double[] c = affine(k, mat(w, prefix + "/key_kernel"), null);
        double[] b = vec(w, prefix + "/bias");
        double[] v = vec(w, prefix + "/score_vector");
        double s = 0;
        for (int u = 0; u < v.length; u++) {
          s += v[u] * Math.tanh(a[u] + c[u] + b[u]);
        }
        return s;
      }
      default:
        throw new IllegalArgumentException("score " + score);
    }
  }

  /** Attention weights of one query over a memory {@code [S][d]} with the allowed keys. */
  static double[] weights(Weights w, String prefix, AttentionScore score, double[] q, double[][] keys, boolean[] allowed) {
    double[] s = new double[keys.length];
    for (int j = 0; j < keys.length; j++) {
      s[j] = allowed[j] ? score(w, prefix, score, q, keys[j]) : 0;
    }
    return softmax(s, allowed);
  }

  static double[] weightedSum(double[] alpha, double[][] values) {
    double[] c = new double[values[0].length];
    for (int j = 0; j < values.length; j++) {
      for (int i = 0; i < c.length; i++) {
        c[i] += alpha[j] * values[j][i];
      }
    }
    return c;
  }

  /** Self-attention ({@link dev.rnnx.spec.Attention}). */
  static double[][][] selfAttention(Weights w, String prefix, AttentionScore score, boolean causal, double[][][] x, int[] lengths) {
    int bn = x.length;
    int tn = x[0].length;
    double[][][] y = new double[bn][tn][];
    for (int b = 0; b < bn; b++) {
      for (int t = 0; t < tn; t++) {
        double[] alpha = weights(w, prefix, score, x[b][t], x[b], allowed(tn, t, lengths, b, causal));
        y[b][t] = weightedSum(alpha, x[b]);
      }
    }
    return y;
  }

  /**
   * Multi-head attention of queries over key/value rows, Keras's layout.
   *
   * @param keyLengths valid keys per sequence, or null
   */
  static double[][][] multiHead(Weights w, String prefix, int heads, int keyDim, double[][][] q, double[][][] kv, int[] keyLengths,
      boolean causal) {
    double[][] wq = mat(w, prefix + "/query/kernel");
    double[][] wk = mat(w, prefix + "/key/kernel");
    double[][] wv = mat(w, prefix + "/value/kernel");
    double[][] wo = mat(w, prefix + "/output/kernel");
    double[] bq = vec(w, prefix + "/query/bias");
    double[] bk = vec(w, prefix + "/key/bias");
    double[] bv = vec(w, prefix + "/value/bias");
    double[] bo = vec(w, prefix + "/output/bias");
    int bn = q.length;
    int tq = q[0].length;
    int tk = kv[0].length;
    double[][][] out = new double[bn][tq][];
    for (int b = 0; b < bn; b++) {
      double[][] qs = new double[tq][];
      double[][] ks = new double[tk][];
      double[][] vs = new double[tk][];
      for (int t = 0; t < tq; t++) {
        qs[t] = affine(q[b][t], wq, bq);
      }
      for (int s = 0; s < tk; s++) {
        ks[s] = affine(kv[b][s], wk, bk);
        vs[s] = affine(kv[b][s], wv, bv);
      }
      for (int t = 0; t < tq; t++) {
        double[] merged = new double[heads * keyDim];
        boolean[] allowed = allowed(tk, t, keyLengths, b, causal);
        for (int h = 0; h < heads; h++) {
          double[] sc = new double[tk];
          for (int s = 0; s < tk; s++) {
            double d = 0;
            for (int k = 0; k < keyDim; k++) {
              d += qs[t][h * keyDim + k] * ks[s][h * keyDim + k];
            }
            sc[s] = d / Math.sqrt(keyDim);
          }
          double[] alpha = softmax(sc, allowed);
          for (int s = 0; s < tk; s++) {
            for (int k = 0; k < keyDim; k++) {
              merged[h * keyDim + k] += alpha[s] * vs[s][h * keyDim + k];
            }
          }
        }
        out[b][t] = affine(merged, wo, bo);
      }
    }
    return out;
  }

  /** Layer normalisation over the last axis, biased variance; gamma or beta may be null. */
  static double[][][] layerNorm(double[][][] x, double[] gamma, double[] beta, double epsilon) {
    double[][][] y = new double[x.length][x[0].length][];
    for (int b = 0; b < x.length; b++) {
      for (int t = 0; t < x[0].length; t++) {
        double[] v = x[b][t];
        double mean = 0;
        for (double e : v) {
          mean += e;
        }
        mean /= v.length;
        double var = 0;
        for (double e : v) {
          var += (e - mean) * (e - mean);
        }
        var /= v.length;
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
          o[i] = (v[i] - mean) / Math.sqrt(var + epsilon);
          if (gamma != null) {
            o[i] *= gamma[i];
          }
          if (beta != null) {
            o[i] += beta[i];
          }
        }
        y[b][t] = o;
      }
    }
    return y;
  }

  static double[][][] layerNorm(Weights w, String prefix, double[][][] x, double epsilon) {
    return layerNorm(x, vec(w, prefix + "/gamma"), vec(w, prefix + "/beta"), epsilon);
  }

  static double[][][] add(double[][][] a, double[][][] b) {
    double[][][] y = new double[a.length][a[0].length][a[0][0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        for (int k = 0; k < a[0][0].length; k++) {
          y[i][j][k] = a[i][j][k] + b[i][j][k];
        }
      }
    }
    return y;
  }

  static double[][][] feedForward(Weights w, String prefix, double[][][] x) {
    double[][] w1 = mat(w, prefix + "/ffn_inner/kernel");
    double[] b1 = vec(w, prefix + "/ffn_inner/bias");
    double[][] w2 = mat(w, prefix + "/ffn_outer/kernel");
    double[] b2 = vec(w, prefix + "/ffn_outer/bias");
    double[][][] y = new double[x.length][x[0].length][];
    for (int b = 0; b < x.length; b++) {
      for (int t = 0; t < x[0].length; t++) {
        double[] h = affine(x[b][t], w1, b1);
        for (int i = 0; i < h.length; i++) {
          h[i] = Math.max(0, h[i]);
        }
        y[b][t] = affine(h, w2, b2);
      }
    }
    return y;
  }

  static double[][][] encoderBlock(Weights w, String prefix, int heads, double epsilon, boolean causal, double[][][] x, int[] lengths) {
    int d = x[0][0].length;
    double[][][] a = layerNorm(w, prefix + "/attention_norm",
        add(x, multiHead(w, prefix + "/attention", heads, d / heads, x, x, lengths, causal)), epsilon);
    return layerNorm(w, prefix + "/ffn_norm", add(a, feedForward(w, prefix, a)), epsilon);
  }

  static double[][][] decoderBlock(Weights w, String prefix, int heads, double epsilon, double[][][] y, double[][][] memory,
      int[] memoryLengths) {
    int d = y[0][0].length;
    double[][][] a = layerNorm(w, prefix + "/self_attention_norm",
        add(y, multiHead(w, prefix + "/self_attention", heads, d / heads, y, y, null, true)), epsilon);
    double[][][] c = layerNorm(w, prefix + "/cross_attention_norm",
        add(a, multiHead(w, prefix + "/cross_attention", heads, d / heads, a, memory, memoryLengths, false)), epsilon);
    return layerNorm(w, prefix + "/ffn_norm", add(c, feedForward(w, prefix, c)), epsilon);
  }

  /** {@code x · √d (optionally) + PE}. */
  static double[][][] positions(double[][][] x, boolean scale) {
    int d = x[0][0].length;
    double[][][] y = new double[x.length][x[0].length][d];
    for (int b = 0; b < x.length; b++) {
      for (int t = 0; t < x[0].length; t++) {
        for (int j = 0; j < d; j++) {
          y[b][t][j] = (scale ? x[b][t][j] * Math.sqrt(d) : x[b][t][j]) + PositionalEncoding.signal(t, j, d);
        }
      }
    }
    return y;
  }

  static double[][] pool(double[][][] x, int[] lengths) {
    double[][] y = new double[x.length][x[0][0].length];
    for (int b = 0; b < x.length; b++) {
      int n = lengths == null ? x[0].length : lengths[b];
      for (int t = 0; t < n; t++) {
        for (int j = 0; j < y[b].length; j++) {
          y[b][j] += x[b][t][j];
        }
      }
      for (int j = 0; j < y[b].length; j++) {
        y[b][j] /= n;
      }
    }
    return y;
  }
}

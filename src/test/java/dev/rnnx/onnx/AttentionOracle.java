package dev.rnnx.onnx;

import static dev.rnnx.onnx.KerasOracle.toDouble;

import dev.rnnx.onnx.KerasOracle.Tensor;
import dev.rnnx.ref.Erf;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.weights.Weights;

/**
 * Double-precision forwards of the attention-family layers, written from the spec records'
 * Javadoc one sequence, one query and one head at a time, independent of the exporter and of ONNX:
 *
 * <pre>
 * layer norm   (x − mean) / √(var + ε) · γ + β over the last axis, biased variance
 * positions    x (· √d) + PositionalEncoding.signal(t, j, d)
 * attention    out_t = Σ_s softmax_s(score(x_t, x_s)) x_s over visible keys s
 * multi-head   per head h: softmax(Q_h K_hᵀ/√key_dim) V_h, heads concatenated head-major, ·W_o + b_o
 * visible      s &lt; L (the key sequence's length) and, when causal, s ≤ t
 * pooling      the mean of the first L steps
 * </pre>
 */
final class AttentionOracle {

  private AttentionOracle() {}

  static double score(AttentionScore score, String param, Weights w, double[] q, double[] k) {
    int dq = q.length;
    int dk = k.length;
    switch (score) {
      case DOT:
        return dot(q, k);
      case SCALED_DOT:
        return dot(q, k) / Math.sqrt(dk);
      case GENERAL: {
        double[] kernel = toDouble(w.get(param + "/kernel").data());
        double s = 0;
        for (int i = 0; i < dq; i++) {
          for (int j = 0; j < dk; j++) {
            s += q[i] * kernel[i * dk + j] * k[j];
          }
        }
        return s;
      }
      case ADDITIVE: {
        double[] wq = toDouble(w.get(param + "/query_kernel").data());
        double[] wk = toDouble(w.get(param + "/key_kernel").data());
        double[] b = toDouble(w.get(param + "/bias").data());
        double[] v = toDouble(w.get(param + "/score_vector").data());
        int u = b.length;
        double s = 0;
        for (int c = 0; c < u; c++) {
          double z = b[c];
          for (int i = 0; i < dq; i++) {
            z += q[i] * wq[i * u + c];
          }
          for (int j = 0; j < dk; j++) {
            z += k[j] * wk[j * u + c];
          }
          s += v[c] * Math.tanh(z);
        }
        return s;
      }
      default:
        throw new IllegalStateException();
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Softmax over the visible entries; the others get exactly 0. */
  static double[] softmax(double[] s, boolean[] visible) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < s.length; j++) {
      if (visible[j]) {
        max = Math.max(max, s[j]);
      }
    }
    double sum = 0;
    double[] p = new double[s.length];
    for (int j = 0; j < s.length; j++) {
      p[j] = visible[j] ? Math.exp(s[j] - max) : 0;
      sum += p[j];
    }
    for (int j = 0; j < s.length; j++) {
      p[j] /= sum;
    }
    return p;
  }

  static boolean[] visible(int t, int keys, int length, boolean causal) {
    boolean[] v = new boolean[keys];
    for (int s = 0; s < keys; s++) {
      v[s] = s < length && (!causal || s <= t);
    }
    return v;
  }

  static double[] row(Tensor x, int b, int t) {
    int time = (int) x.shape()[1];
    int d = (int) x.shape()[2];
    double[] r = new double[d];
    System.arraycopy(x.data(), (b * time + t) * d, r, 0, d);
    return r;
  }

  static Tensor layerNorm(LayerNormalization l, Weights w, Tensor x) {
    int d = (int) x.shape()[x.shape().length - 1];
    double[] gamma = l.scale() ? toDouble(w.get(l.name() + "/gamma").data()) : null;
    double[] beta = l.center() ? toDouble(w.get(l.name() + "/beta").data()) : null;
    return layerNorm(x, gamma, beta, l.epsilon(), d);
  }

  static Tensor layerNorm(Tensor x, double[] gamma, double[] beta, double epsilon, int d) {
    double[] y = new double[x.data().length];
    for (int r = 0; r < y.length / d; r++) {
      double mean = 0;
      for (int j = 0; j < d; j++) {
        mean += x.data()[r * d + j];
      }
      mean /= d;
      double var = 0;
      for (int j = 0; j < d; j++) {
        double c = x.data()[r * d + j] - mean;
        var += c * c;
      }
      var /= d;
      for (int j = 0; j < d; j++) {
        double v = (x.data()[r * d + j] - mean) / Math.sqrt(var + epsilon);
        y[r * d + j] = v * (gamma == null ? 1 : gamma[j]) + (beta == null ? 0 : beta[j]);
      }
    }
    return new Tensor(x.shape().clone(), y);
  }

  static Tensor positionalEncoding(Tensor x, int maxLength, boolean scale) {
    int batch = (int) x.shape()[0];
    int time = (int) x.shape()[1];
    int d = (int) x.shape()[2];
    if (time > maxLength) {
      throw new IllegalArgumentException("sequence of " + time + " steps exceeds max_length " + maxLength);
    }
    double[] y = new double[x.data().length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        for (int j = 0; j < d; j++) {
          int i = (b * time + t) * d + j;
          y[i] = x.data()[i] * (scale ? Math.sqrt(d) : 1) + PositionalEncoding.signal(t, j, d);
        }
      }
    }
    return new Tensor(x.shape().clone(), y);
  }

  static Tensor positionalEncoding(PositionalEncoding p, Tensor x) {
    return positionalEncoding(x, p.maxLength(), p.scaleInput());
  }

  /** Self-attention of the {@link Attention} layer. */
  static Tensor attention(Attention a, Weights w, Tensor x, int[] lengths) {
    int batch = (int) x.shape()[0];
    int time = (int) x.shape()[1];
    int d = (int) x.shape()[2];
    double[] y = new double[x.data().length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        double[] s = new double[time];
        for (int k = 0; k < time; k++) {
          s[k] = score(a.score(), a.name(), w, row(x, b, t), row(x, b, k));
        }
        double[] p = softmax(s, visible(t, time, lengths[b], a.causal()));
        for (int k = 0; k < time; k++) {
          for (int j = 0; j < d; j++) {
            y[(b * time + t) * d + j] += p[k] * x.data()[(b * time + k) * d + j];
          }
        }
      }
    }
    return new Tensor(x.shape().clone(), y);
  }

  /** {@code x · <param>/kernel + <param>/bias} on the last axis. */
  static Tensor linear(Tensor x, Weights w, String param) {
    double[] k = toDouble(w.get(param + "/kernel").data());
    double[] bias = toDouble(w.get(param + "/bias").data());
    int in = (int) x.shape()[x.shape().length - 1];
    int out = bias.length;
    int rows = x.data().length / in;
    double[] y = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < out; c++) {
        double acc = bias[c];
        for (int i = 0; i < in; i++) {
          acc += x.data()[r * in + i] * k[i * out + c];
        }
        y[r * out + c] = acc;
      }
    }
    long[] shape = x.shape().clone();
    shape[shape.length - 1] = out;
    return new Tensor(shape, y);
  }

  /**
   * Multi-head attention of queries {@code [B, Tq, d]} over keys/values {@code [B, S, d]};
   * {@code keyLengths} per sequence (S for none).
   */
  static Tensor multiHead(String param, int heads, int keyDim, boolean causal, Weights w, Tensor query, Tensor keyValue,
      int[] keyLengths) {
    Tensor q = linear(query, w, param + "/query");
    Tensor k = linear(keyValue, w, param + "/key");
    Tensor v = linear(keyValue, w, param + "/value");
    int batch = (int) query.shape()[0];
    int tq = (int) query.shape()[1];
    int s = (int) keyValue.shape()[1];
    int inner = heads * keyDim;
    double[] context = new double[batch * tq * inner];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        for (int t = 0; t < tq; t++) {
          double[] scores = new double[s];
          for (int j = 0; j < s; j++) {
            double acc = 0;
            for (int c = 0; c < keyDim; c++) {
              acc += q.data()[(b * tq + t) * inner + h * keyDim + c] * k.data()[(b * s + j) * inner + h * keyDim + c];
            }
            scores[j] = acc / Math.sqrt(keyDim);
          }
          double[] p = softmax(scores, visible(t, s, keyLengths[b], causal));
          for (int c = 0; c < keyDim; c++) {
            double acc = 0;
            for (int j = 0; j < s; j++) {
              acc += p[j] * v.data()[(b * s + j) * inner + h * keyDim + c];
            }
            context[(b * tq + t) * inner + h * keyDim + c] = acc;
          }
        }
      }
    }
    return linear(new Tensor(new long[] {batch, tq, inner}, context), w, param + "/output");
  }

  static Tensor add(Tensor a, Tensor b) {
    double[] y = new double[a.data().length];
    for (int i = 0; i < y.length; i++) {
      y[i] = a.data()[i] + b.data()[i];
    }
    return new Tensor(a.shape().clone(), y);
  }

  static Tensor addNorm(Tensor x, Tensor y, Weights w, String param, double epsilon) {
    return norm(add(x, y), w, param, epsilon);
  }

  static Tensor feedForward(Tensor x, Weights w, String param) {
    return feedForward(x, w, param, false);
  }

  /** {@code f(x·W1 + b1)·W2 + b2}, f relu or (with {@code gelu}) {@code x·Φ(x)}. */
  static Tensor feedForward(Tensor x, Weights w, String param, boolean gelu) {
    Tensor inner = linear(x, w, param + "/ffn_inner");
    double[] r = inner.data().clone();
    for (int i = 0; i < r.length; i++) {
      r[i] = gelu ? r[i] * 0.5 * (1 + Erf.erf(r[i] / Math.sqrt(2))) : Math.max(0, r[i]);
    }
    return linear(new Tensor(inner.shape(), r), w, param + "/ffn_outer");
  }

  /** A post-norm relu encoder block. */
  static Tensor encoderBlock(String param, int heads, double epsilon, boolean causal, Weights w, Tensor x, int[] lengths) {
    return encoderBlock(param, heads, epsilon, causal, false, false, w, x, lengths);
  }

  /** An encoder block, post-norm or pre-norm ({@code normFirst}), relu or gelu. */
  static Tensor encoderBlock(String param, int heads, double epsilon, boolean causal, boolean normFirst, boolean gelu, Weights w,
      Tensor x, int[] lengths) {
    int d = (int) x.shape()[2];
    if (normFirst) {
      Tensor n1 = norm(x, w, param + "/attention_norm", epsilon);
      Tensor a = add(x, multiHead(param + "/attention", heads, d / heads, causal, w, n1, n1, lengths));
      return add(a, feedForward(norm(a, w, param + "/ffn_norm", epsilon), w, param, gelu));
    }
    Tensor a = addNorm(x, multiHead(param + "/attention", heads, d / heads, causal, w, x, x, lengths), w,
        param + "/attention_norm", epsilon);
    return addNorm(a, feedForward(a, w, param, gelu), w, param + "/ffn_norm", epsilon);
  }

  private static Tensor norm(Tensor x, Weights w, String param, double epsilon) {
    int d = (int) x.shape()[x.shape().length - 1];
    return layerNorm(x, toDouble(w.get(param + "/gamma").data()), toDouble(w.get(param + "/beta").data()), epsilon, d);
  }

  /** A post-norm decoder block: causal self-attention, cross-attention on memory, feed-forward. */
  static Tensor decoderBlock(String param, int heads, double epsilon, Weights w, Tensor y, Tensor memory,
      int[] sourceLengths) {
    int d = (int) y.shape()[2];
    int[] full = new int[(int) y.shape()[0]];
    java.util.Arrays.fill(full, (int) y.shape()[1]);
    Tensor a = addNorm(y, multiHead(param + "/self_attention", heads, d / heads, true, w, y, y, full), w,
        param + "/self_attention_norm", epsilon);
    Tensor c = addNorm(a, multiHead(param + "/cross_attention", heads, d / heads, false, w, a, memory, sourceLengths), w,
        param + "/cross_attention_norm", epsilon);
    return addNorm(c, feedForward(c, w, param), w, param + "/ffn_norm", epsilon);
  }

  static Tensor pooling(Tensor x, int[] lengths) {
    int batch = (int) x.shape()[0];
    int time = (int) x.shape()[1];
    int d = (int) x.shape()[2];
    double[] y = new double[batch * d];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        for (int j = 0; j < d; j++) {
          y[b * d + j] += x.data()[(b * time + t) * d + j] / lengths[b];
        }
      }
    }
    return new Tensor(new long[] {batch, d}, y);
  }
}

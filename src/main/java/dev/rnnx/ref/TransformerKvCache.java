package dev.rnnx.ref;

import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.Map;
import java.util.function.Function;

/**
 * The Transformer decoder one token at a time with a key-value cache: what {@link
 * TransformerSeq2SeqForward#decode} computes at the last position of a prefix, without rerunning
 * the prefix. Each decoder layer's self-attention keys and values of the tokens read so far come in
 * as {@link Cache} ({@code [B, heads, t, head_dim]} each) and go out one step longer; the
 * cross-attention keys and values of the memory are computed once per source ({@link #cross}). The
 * new token sits at position {@code t} (its positional signal) and may see every cached key, so no
 * causal mask is needed; cross-attention masks keys past each source length. Same operations in
 * the same order as the uncached decoder, row by row.
 */
final class TransformerKvCache {

  /**
   * Keys and values of every decoder layer, each {@code [B, heads, time, head_dim]} flattened.
   *
   * @param batch B
   * @param time the steps held
   * @param keys one array per layer
   * @param values one array per layer
   */
  record Cache(int batch, int time, double[][] keys, double[][] values) {}

  /**
   * One cached step's outputs.
   *
   * @param logProbs {@code [B, V_t]}
   * @param present the cache one step longer
   */
  record Result(DoubleTensor logProbs, Cache present) {}

  private final Seq2Seq spec;
  private final Weights weights;
  private final TransformerStack dec;
  private final int d;
  private final int heads;
  private final int hd;

  TransformerKvCache(Seq2Seq spec, Weights weights) {
    this.spec = spec;
    this.weights = weights;
    this.dec = (TransformerStack) spec.decoder();
    this.d = spec.embeddingDim();
    this.heads = dec.heads();
    this.hd = d / heads;
  }

  /** The empty self-attention cache of a batch. */
  Cache empty(int batch) {
    double[][] none = new double[dec.layers()][0];
    return new Cache(batch, 0, none, none.clone());
  }

  /** The cross-attention keys and values of {@code memory [B, S, E]} for every decoder layer. */
  Cache cross(DoubleTensor memory) {
    int batch = memory.dim(0);
    int steps = memory.dim(1);
    double[][] keys = new double[dec.layers()][];
    double[][] values = new double[dec.layers()][];
    for (int i = 0; i < dec.layers(); i++) {
      String p = "decoder/block_" + i + "/cross_attention";
      keys[i] = toHeads(RefMath.dense(memory.data(), batch * steps, d, weights, p + "/key", d), batch, steps);
      values[i] = toHeads(RefMath.dense(memory.data(), batch * steps, d, weights, p + "/value", d), batch, steps);
    }
    return new Cache(batch, steps, keys, values);
  }

  /**
   * Reads {@code tokens [B]} at position {@code past.time()}.
   *
   * @param embedded the tokens' embeddings {@code [B, E]} (before scaling)
   * @param sourceLengths the valid memory steps of each sequence
   * @throws IllegalArgumentException when the position reaches {@code max_target_length}
   */
  Result step(double[] embedded, Cache past, Cache cross, int[] sourceLengths) {
    int batch = past.batch();
    int t = past.time();
    if (t >= spec.maxTargetLength()) {
      throw new IllegalArgumentException("decoder step at position " + t + ": the model reads at most max_target_length "
          + spec.maxTargetLength() + " target steps");
    }
    double factor = Math.sqrt(d);
    double[] x = new double[batch * d];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < d; j++) {
        x[b * d + j] = embedded[b * d + j] * factor + PositionalEncoding.signal(t, j, d);
      }
    }
    double[][] keys = new double[dec.layers()][];
    double[][] values = new double[dec.layers()][];
    for (int i = 0; i < dec.layers(); i++) {
      String p = "decoder/block_" + i;
      keys[i] = append(past.keys()[i], RefMath.dense(x, batch, d, weights, p + "/self_attention/key", d), batch, t);
      values[i] = append(past.values()[i], RefMath.dense(x, batch, d, weights, p + "/self_attention/value", d), batch, t);
      double[] a = attend(p + "/self_attention", x, keys[i], values[i], t + 1, null);
      double[] c = attend(p + "/cross_attention", a, cross.keys()[i], cross.values()[i], cross.time(), sourceLengths);
      x = TransformerEncoderForward.ffnSublayer(p, new DoubleTensor(new long[] {batch, 1, d}, c), dec.ffDim(), dec.epsilon(), weights,
          null).data();
    }
    int v = spec.targetVocabulary();
    double[] logits = RefMath.dense(x, batch, d, weights, "output", v);
    for (int b = 0; b < batch; b++) {
      RefMath.logSoftmax(logits, b * v, v);
    }
    return new Result(new DoubleTensor(new long[] {batch, v}, logits), new Cache(batch, t + 1, keys, values));
  }

  /** The cache as tensors {@code <keys>i}, {@code <values>i} {@code [B, heads, time, head_dim]}, added to {@code out}. */
  Map<String, DoubleTensor> tensors(Cache c, String keys, String values, Map<String, DoubleTensor> out) {
    long[] shape = {c.batch(), heads, c.time(), hd};
    for (int i = 0; i < dec.layers(); i++) {
      out.put(keys + i, new DoubleTensor(shape, c.keys()[i]));
      out.put(values + i, new DoubleTensor(shape, c.values()[i]));
    }
    return out;
  }

  /** The cache of tensors {@code <keys>i}, {@code <values>i} (shapes checked by the form's contract). */
  Cache cache(Function<String, DoubleTensor> tensor, String keys, String values) {
    double[][] k = new double[dec.layers()][];
    double[][] v = new double[dec.layers()][];
    DoubleTensor first = tensor.apply(keys + 0);
    for (int i = 0; i < dec.layers(); i++) {
      k[i] = tensor.apply(keys + i).data();
      v[i] = tensor.apply(values + i).data();
    }
    return new Cache(first.dim(0), first.dim(2), k, v);
  }

  /** Attention of queries from {@code x [B, E]} on cached keys and values of {@code tk} steps, plus residual and norm. */
  private double[] attend(String prefix, double[] x, double[] k, double[] v, int tk, int[] keyLengths) {
    int batch = x.length / d;
    double[] q = RefMath.dense(x, batch, d, weights, prefix + "/query", d);
    double scale = 1.0 / Math.sqrt(hd);
    double[] context = new double[batch * d];
    double[] alpha = new double[tk];
    for (int b = 0; b < batch; b++) {
      int len = AttentionForward.length(prefix, keyLengths, b, tk);
      for (int h = 0; h < heads; h++) {
        int qOff = b * d + h * hd;
        int base = (b * heads + h) * tk * hd;
        for (int j = 0; j < tk; j++) {
          double s = 0;
          for (int c = 0; c < hd; c++) {
            s += q[qOff + c] * k[base + j * hd + c];
          }
          alpha[j] = s * scale;
        }
        RefMath.maskedSoftmax(alpha, 0, tk, len);
        for (int j = 0; j < tk; j++) {
          if (alpha[j] == 0) {
            continue;
          }
          for (int c = 0; c < hd; c++) {
            context[qOff + c] += alpha[j] * v[base + j * hd + c];
          }
        }
      }
    }
    double[] out = RefMath.dense(context, batch, d, weights, prefix + "/output", d);
    return RefMath.layerNorm(RefMath.add(x, out), batch, d, weights, prefix + "_norm", dec.epsilon());
  }

  /** {@code [B, T, heads·hd]} to {@code [B, heads, T, hd]}. */
  private double[] toHeads(double[] x, int batch, int time) {
    double[] y = new double[x.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        for (int h = 0; h < heads; h++) {
          System.arraycopy(x, (b * time + t) * d + h * hd, y, ((b * heads + h) * time + t) * hd, hd);
        }
      }
    }
    return y;
  }

  /** {@code past [B, heads, t, hd]} with {@code now [B, heads·hd]} appended as step t. */
  private double[] append(double[] past, double[] now, int batch, int t) {
    double[] y = new double[batch * heads * (t + 1) * hd];
    for (int b = 0; b < batch; b++) {
      for (int h = 0; h < heads; h++) {
        int bh = b * heads + h;
        System.arraycopy(past, bh * t * hd, y, bh * (t + 1) * hd, t * hd);
        System.arraycopy(now, b * d + h * hd, y, (bh * (t + 1) + t) * hd, hd);
      }
    }
    return y;
  }
}

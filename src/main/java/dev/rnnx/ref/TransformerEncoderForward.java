package dev.rnnx.ref;

import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The forward of {@link TransformerEncoder} (post- or pre-normalisation), and the decoder block of
 * a Transformer seq2seq model:
 *
 * <pre>
 * encoder: a = LN(x + MHA(x, x; padding mask [, causal]))
 *          y = LN(a + f(a · W1 + b1) · W2 + b2)                  f relu or gelu (exact, erf)
 * norm_first: a = x + MHA(LN(x), LN(x)); y = a + f(LN(a) · W1 + b1) · W2 + b2
 * decoder: a = LN(x + MHA(x, x; causal))                          self_attention[_norm]
 *          c = LN(a + MHA(a, memory; source padding mask))        cross_attention[_norm]
 *          y = LN(c + relu(c · W1 + b1) · W2 + b2)                ffn_inner, ffn_outer, ffn_norm
 * </pre>
 *
 * Key width {@code d / heads}; both normalisations center and scale. Traces record each
 * sub-layer's output and the attention weights.
 */
final class TransformerEncoderForward implements RefForward<TransformerEncoder> {

  @Override
  public List<DoubleTensor> forward(TransformerEncoder layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    if (x.dim(2) % layer.heads() != 0) {
      throw new IllegalArgumentException("layer '" + layer.name() + "': heads " + layer.heads() + " must divide the input width "
          + x.dim(2));
    }
    DoubleTensor a = attentionSublayer(layer.name(), "attention", x, x, input.lengths(), layer.heads(), layer.epsilon(),
        layer.causal(), layer.normFirst(), weights, sink);
    return List.of(ffnSublayer(layer.name(), a, layer.ffDim(), layer.epsilon(), layer.normFirst(), layer.activation(), weights,
        sink));
  }

  /** One post-norm relu encoder block; {@code lengths} masks the keys (or {@code null}). */
  static DoubleTensor encoderBlock(String prefix, DoubleTensor x, int[] lengths, int heads, int ffDim, double eps, boolean causal,
      Weights weights, TraceSink sink) {
    DoubleTensor a = attentionSublayer(prefix, "attention", x, x, lengths, heads, eps, causal, false, weights, sink);
    return ffnSublayer(prefix, a, ffDim, eps, weights, sink);
  }

  /** One decoder block: causal self-attention, cross-attention on {@code memory} (keys past {@code memoryLengths} masked), FFN. */
  static DoubleTensor decoderBlock(String prefix, DoubleTensor x, DoubleTensor memory, int[] memoryLengths, int heads, int ffDim,
      double eps, Weights weights, TraceSink sink) {
    DoubleTensor a = attentionSublayer(prefix, "self_attention", x, x, null, heads, eps, true, false, weights, sink);
    DoubleTensor c = attentionSublayer(prefix, "cross_attention", a, memory, memoryLengths, heads, eps, false, false, weights,
        sink);
    return ffnSublayer(prefix, c, ffDim, eps, weights, sink);
  }

  /**
   * {@code LN(q + MHA(q, kv))}, or with {@code normFirst} (self-attention only) {@code q + MHA(LN(q), LN(q))};
   * the norm is {@code <prefix>/<name>_norm}.
   */
  private static DoubleTensor attentionSublayer(String prefix, String name, DoubleTensor q, DoubleTensor kv, int[] keyLengths,
      int heads, double eps, boolean causal, boolean normFirst, Weights weights, TraceSink sink) {
    int d = q.dim(2);
    int rows = q.dim(0) * q.dim(1);
    String norm = prefix + "/" + name + "_norm";
    DoubleTensor query = q;
    DoubleTensor keys = kv;
    if (normFirst) {
      query = new DoubleTensor(q.shape(), RefMath.layerNorm(q.data(), rows, d, weights, norm, eps));
      keys = query;
      TraceSink.put(sink, name + "_norm/output", query);
    }
    MultiHeadAttentionForward.Result r = MultiHeadAttentionForward.apply(prefix + "/" + name, heads, d / heads, query, keys,
        keyLengths, causal, weights);
    TraceSink.put(sink, name + "/weights", r.weights());
    TraceSink.put(sink, name + "/output", r.output());
    double[] sum = RefMath.add(q.data(), r.output().data());
    if (normFirst) {
      return new DoubleTensor(q.shape(), sum);
    }
    DoubleTensor out = new DoubleTensor(q.shape(), RefMath.layerNorm(sum, rows, d, weights, norm, eps));
    TraceSink.put(sink, name + "_norm/output", out);
    return out;
  }

  /** The post-norm relu feed-forward sublayer {@code LN(a + FFN(a))}. */
  static DoubleTensor ffnSublayer(String prefix, DoubleTensor a, int ff, double eps, Weights weights, TraceSink sink) {
    return ffnSublayer(prefix, a, ff, eps, false, FeedForwardActivation.RELU, weights, sink);
  }

  /** {@code LN(a + FFN(a))}, or with {@code normFirst} {@code a + FFN(LN(a))}; FFN's activation {@code f}. */
  static DoubleTensor ffnSublayer(String prefix, DoubleTensor a, int ff, double eps, boolean normFirst, FeedForwardActivation f,
      Weights weights, TraceSink sink) {
    int d = a.dim(2);
    int rows = a.dim(0) * a.dim(1);
    double[] h = a.data();
    if (normFirst) {
      h = RefMath.layerNorm(h, rows, d, weights, prefix + "/ffn_norm", eps);
      TraceSink.put(sink, "ffn_norm/output", new DoubleTensor(a.shape(), h));
    }
    double[] inner = RefMath.dense(h, rows, d, weights, prefix + "/ffn_inner", ff);
    if (f == FeedForwardActivation.GELU) {
      Erf.gelu(inner);
    } else {
      RefMath.relu(inner);
    }
    TraceSink.put(sink, "ffn_inner/output", new DoubleTensor(new long[] {a.dim(0), a.dim(1), ff}, inner));
    double[] outer = RefMath.dense(inner, rows, ff, weights, prefix + "/ffn_outer", d);
    TraceSink.put(sink, "ffn_outer/output", new DoubleTensor(a.shape(), outer));
    double[] y = RefMath.add(a.data(), outer);
    return new DoubleTensor(a.shape(), normFirst ? y : RefMath.layerNorm(y, rows, d, weights, prefix + "/ffn_norm", eps));
  }
}

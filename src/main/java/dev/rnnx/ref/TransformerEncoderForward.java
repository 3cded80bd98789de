package dev.rnnx.ref;

import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The forward of {@link TransformerEncoder} (post-normalisation), and the decoder block of a
 * Transformer seq2seq model:
 *
 * <pre>
 * encoder: a = LN(x + MHA(x, x; padding mask [, causal]))
 *          y = LN(a + relu(a · W1 + b1) · W2 + b2)
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
    return List.of(encoderBlock(layer.name(), x, input.lengths(), layer.heads(), layer.ffDim(), layer.epsilon(), layer.causal(),
        weights, sink));
  }

  /** One encoder block; {@code lengths} masks the keys (or {@code null}). */
  static DoubleTensor encoderBlock(String prefix, DoubleTensor x, int[] lengths, int heads, int ffDim, double eps, boolean causal,
      Weights weights, TraceSink sink) {
    DoubleTensor a = attentionSublayer(prefix, "attention", x, x, lengths, heads, eps, causal, weights, sink);
    return ffnSublayer(prefix, a, ffDim, eps, weights, sink);
  }

  /** One decoder block: causal self-attention, cross-attention on {@code memory} (keys past {@code memoryLengths} masked), FFN. */
  static DoubleTensor decoderBlock(String prefix, DoubleTensor x, DoubleTensor memory, int[] memoryLengths, int heads, int ffDim,
      double eps, Weights weights, TraceSink sink) {
    DoubleTensor a = attentionSublayer(prefix, "self_attention", x, x, null, heads, eps, true, weights, sink);
    DoubleTensor c = attentionSublayer(prefix, "cross_attention", a, memory, memoryLengths, heads, eps, false, weights, sink);
    return ffnSublayer(prefix, c, ffDim, eps, weights, sink);
  }

  private static DoubleTensor attentionSublayer(String prefix, String name, DoubleTensor q, DoubleTensor kv, int[] keyLengths,
      int heads, double eps, boolean causal, Weights weights, TraceSink sink) {
    int d = q.dim(2);
    int rows = q.dim(0) * q.dim(1);
    MultiHeadAttentionForward.Result r = MultiHeadAttentionForward.apply(prefix + "/" + name, heads, d / heads, q, kv, keyLengths,
        causal, weights);
    TraceSink.put(sink, name + "/weights", r.weights());
    TraceSink.put(sink, name + "/output", r.output());
    double[] y = RefMath.layerNorm(RefMath.add(q.data(), r.output().data()), rows, d, weights, prefix + "/" + name + "_norm", eps);
    DoubleTensor out = new DoubleTensor(q.shape(), y);
    TraceSink.put(sink, name + "_norm/output", out);
    return out;
  }

  static DoubleTensor ffnSublayer(String prefix, DoubleTensor a, int ff, double eps, Weights weights, TraceSink sink) {
    int d = a.dim(2);
    int rows = a.dim(0) * a.dim(1);
    double[] inner = RefMath.dense(a.data(), rows, d, weights, prefix + "/ffn_inner", ff);
    RefMath.relu(inner);
    TraceSink.put(sink, "ffn_inner/output", new DoubleTensor(new long[] {a.dim(0), a.dim(1), ff}, inner));
    double[] outer = RefMath.dense(inner, rows, ff, weights, prefix + "/ffn_outer", d);
    TraceSink.put(sink, "ffn_outer/output", new DoubleTensor(a.shape(), outer));
    return new DoubleTensor(a.shape(), RefMath.layerNorm(RefMath.add(a.data(), outer), rows, d, weights, prefix + "/ffn_norm", eps));
  }
}

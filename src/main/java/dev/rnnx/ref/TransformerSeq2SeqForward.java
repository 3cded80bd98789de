package dev.rnnx.ref;

import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;

/**
 * The Transformer half of {@link RefSeq2Seq}. Embeddings times √E plus the sinusoidal signal (tables of
 * {@code max_source_length} and {@code max_target_length} steps: longer inputs are refused); encoder
 * blocks with the source padding mask; decoder blocks of causal self-attention, cross-attention on
 * the memory (source padding masked) and the feed-forward part, each residual plus post-norm;
 * {@code log_probs = log_softmax(x · W_o + b_o)}. Memory steps past the source length are computed
 * like any other (and masked wherever they are read). A decoder step runs the decoder on the prefix
 * and returns the last position.
 */
final class TransformerSeq2SeqForward {

  private final Seq2Seq spec;
  private final Weights weights;

  TransformerSeq2SeqForward(Seq2Seq spec, Weights weights) {
    this.spec = spec;
    this.weights = weights;
  }

  /** The encoder over the embedded source {@code x [B, S, E]}: memory {@code [B, S, E]}. */
  DoubleTensor encode(DoubleTensor x, int[] lengths) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    TransformerStack t = (TransformerStack) spec.encoder();
    int d = spec.embeddingDim();
    DoubleTensor h = new DoubleTensor(x.shape(),
        PositionalEncodingForward.apply("source", x.data(), batch, steps, d, spec.maxSourceLength(), true));
    for (int i = 0; i < t.layers(); i++) {
      h = TransformerEncoderForward.encoderBlock("encoder/block_" + i, h, lengths, t.heads(), t.ffDim(), t.epsilon(), false,
          weights, null);
    }
    return h;
  }

  /** The decoder over embedded target prefixes {@code x [B, T, E]}: {@code log_probs [B, T, V_t]}. */
  DoubleTensor decode(DoubleTensor x, DoubleTensor memory, int[] sourceLengths) {
    TransformerStack t = (TransformerStack) spec.decoder();
    int batch = x.dim(0);
    int time = x.dim(1);
    int d = spec.embeddingDim();
    DoubleTensor h = new DoubleTensor(x.shape(),
        PositionalEncodingForward.apply("target", x.data(), batch, time, d, spec.maxTargetLength(), true));
    for (int i = 0; i < t.layers(); i++) {
      h = TransformerEncoderForward.decoderBlock("decoder/block_" + i, h, memory, sourceLengths, t.heads(), t.ffDim(), t.epsilon(),
          weights, null);
    }
    int v = spec.targetVocabulary();
    double[] logits = RefMath.dense(h.data(), batch * time, d, weights, "output", v);
    for (int r = 0; r < batch * time; r++) {
      RefMath.logSoftmax(logits, r * v, v);
    }
    return new DoubleTensor(new long[] {batch, time, v}, logits);
  }

  /** The decoder-step form's {@code log_probs [B, V_t]}: the last position of {@code all [B, T, V_t]}. */
  static DoubleTensor lastPosition(DoubleTensor all) {
    int batch = all.dim(0);
    int time = all.dim(1);
    int v = all.dim(2);
    double[] last = new double[batch * v];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(all.data(), (b * time + time - 1) * v, last, b * v, v);
    }
    return new DoubleTensor(new long[] {batch, v}, last);
  }
}

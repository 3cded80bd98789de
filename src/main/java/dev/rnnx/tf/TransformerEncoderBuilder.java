package dev.rnnx.tf;

import dev.rnnx.spec.TransformerEncoder;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@link TransformerEncoder}: one post-LN or pre-LN block, self-attention with the padding (and causal) mask, then the feed-forward part. */
final class TransformerEncoderBuilder extends WholeSequenceBuilder<TransformerEncoder> {

  TransformerEncoderBuilder() {
    super(TransformerEncoder.class, TransformerEncoder.KIND);
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, TransformerEncoder layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    Operand<TFloat32> bias = AttentionOps.selfBias(ctx.tf(), ctx.lengths(), steps, layer.causal());
    return AttentionOps.encoderBlock(ctx.tf(), ctx.params(), layer.name(), width, layer.heads(), layer.ffDim(), layer.epsilon(),
        layer.normFirst(), layer.activation(), x, bias);
  }
}

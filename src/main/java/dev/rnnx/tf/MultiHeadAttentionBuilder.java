package dev.rnnx.tf;

import dev.rnnx.spec.MultiHeadAttention;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@link MultiHeadAttention}: multi-head scaled dot-product self-attention with the padding (and causal) mask. */
final class MultiHeadAttentionBuilder extends WholeSequenceBuilder<MultiHeadAttention> {

  MultiHeadAttentionBuilder() {
    super(MultiHeadAttention.class, MultiHeadAttention.KIND);
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, MultiHeadAttention layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    Operand<TFloat32> bias = AttentionOps.selfBias(ctx.tf(), ctx.lengths(), steps, layer.causal());
    return AttentionOps.multiHead(ctx.tf(), ctx.params(), layer.name(), layer.heads(), layer.keyDim(), x, width, x, width, bias);
  }
}

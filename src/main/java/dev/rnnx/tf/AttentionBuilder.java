package dev.rnnx.tf;

import dev.rnnx.spec.Attention;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link Attention}: self-attention with one of the classic scores, query = key = value = the
 * input; keys past a sequence's length (and, when causal, after the query) get exactly zero weight.
 */
final class AttentionBuilder extends WholeSequenceBuilder<Attention> {

  AttentionBuilder() {
    super(Attention.class, Attention.KIND);
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, Attention layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    Operand<TFloat32> bias = AttentionOps.selfBias(ctx.tf(), ctx.lengths(), steps, layer.causal());
    return AttentionOps.attend(ctx.tf(), ctx.params(), layer.name(), layer.score(), layer.units(), x, width, x, width, bias);
  }
}

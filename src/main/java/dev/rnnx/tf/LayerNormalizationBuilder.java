package dev.rnnx.tf;

import dev.rnnx.spec.LayerNormalization;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@link LayerNormalization} over the last axis, on every step alike (padding included). */
final class LayerNormalizationBuilder extends WholeSequenceBuilder<LayerNormalization> {

  LayerNormalizationBuilder() {
    super(LayerNormalization.class, LayerNormalization.KIND);
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, LayerNormalization layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    TfParameters p = ctx.params();
    return AttentionOps.layerNorm(ctx.tf(), x, layer.scale() ? p.get(layer.name() + "/gamma") : null,
        layer.center() ? p.get(layer.name() + "/beta") : null, layer.epsilon());
  }
}

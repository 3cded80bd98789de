package dev.rnnx.tf;

import dev.rnnx.spec.Flatten;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link Flatten}: {@code Reshape(x, [B, steps·d])} with B read from the input, so an input of
 * another length fails the Reshape (its element count differs) instead of folding rows together.
 */
final class FlattenBuilder extends WholeSequenceBuilder<Flatten> {

  FlattenBuilder() {
    super(Flatten.class, Flatten.KIND);
  }

  @Override
  boolean pools() {
    return true;
  }

  @Override
  void checkLength(Flatten layer, int length) {
    if (length != layer.steps()) {
      throw new IllegalArgumentException(layer.wrongLength(length));
    }
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, Flatten layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    Ops tf = ctx.tf();
    Operand<TInt32> shape = tf.stack(java.util.List.of(AttentionOps.size(tf, x, 0), tf.constant(layer.steps() * width)));
    return tf.reshape(x, shape);
  }
}

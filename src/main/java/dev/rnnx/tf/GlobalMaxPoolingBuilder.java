package dev.rnnx.tf;

import dev.rnnx.spec.GlobalMaxPooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@link GlobalMaxPooling}: the maximum over each sequence's valid steps (with lengths) or over all T. */
final class GlobalMaxPoolingBuilder extends WholeSequenceBuilder<GlobalMaxPooling> {

  GlobalMaxPoolingBuilder() {
    super(GlobalMaxPooling.class, GlobalMaxPooling.KIND);
  }

  @Override
  boolean pools() {
    return true;
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, GlobalMaxPooling layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    Ops tf = ctx.tf();
    if (!ctx.masked()) {
      return tf.max(x, tf.constant(1));
    }
    Operand<TInt32> range = tf.expandDims(tf.range(tf.constant(0), steps, tf.constant(1)), tf.constant(0));
    var valid = tf.expandDims(tf.math.less(range, tf.expandDims(ctx.lengths(), tf.constant(1))), tf.constant(2));
    Operand<TFloat32> floor = tf.fill(tf.shape(x), tf.constant(-Float.MAX_VALUE));
    return tf.max(tf.select(tf.broadcastTo(valid, tf.shape(x)), x, floor), tf.constant(1));
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.GlobalAveragePooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** {@link GlobalAveragePooling}: the mean over each sequence's valid steps (with lengths) or over all T. */
final class GlobalAveragePoolingBuilder extends WholeSequenceBuilder<GlobalAveragePooling> {

  GlobalAveragePoolingBuilder() {
    super(GlobalAveragePooling.class, GlobalAveragePooling.KIND);
  }

  @Override
  boolean pools() {
    return true;
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, GlobalAveragePooling layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    Ops tf = ctx.tf();
    if (!ctx.masked()) {
      return tf.math.mean(x, tf.constant(1));
    }
    Operand<TInt32> range = tf.expandDims(tf.range(tf.constant(0), steps, tf.constant(1)), tf.constant(0));
    Operand<TFloat32> valid = tf.dtypes.cast(tf.math.less(range, tf.expandDims(ctx.lengths(), tf.constant(1))), TFloat32.class);
    Operand<TFloat32> sum = tf.sum(tf.math.mul(x, tf.expandDims(valid, tf.constant(2))), tf.constant(1));
    return tf.math.div(sum, tf.expandDims(tf.dtypes.cast(ctx.lengths(), TFloat32.class), tf.constant(1)));
  }
}

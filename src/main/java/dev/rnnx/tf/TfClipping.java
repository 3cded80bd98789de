package dev.rnnx.tf;

import dev.rnnx.spec.Clipping;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Gradient clipping in the graph ({@link Clipping}): element-wise by value with ClipByValue, or by
 * the global L2 norm of all gradients together, {@code g · t / max(t, ‖g‖)}, as TF's
 * {@code clip_by_global_norm}.
 */
final class TfClipping {

  private TfClipping() {}

  /** The clipped gradients, in the same order. */
  static List<Operand<TFloat32>> clip(Ops tf, Clipping clipping, List<Operand<TFloat32>> gradients) {
    switch (clipping.kind()) {
      case NONE:
        return gradients;
      case VALUE: {
        Operand<TFloat32> hi = tf.constant((float) clipping.threshold());
        Operand<TFloat32> lo = tf.constant((float) -clipping.threshold());
        List<Operand<TFloat32>> out = new ArrayList<>();
        gradients.forEach(g -> out.add(tf.clipByValue(g, lo, hi)));
        return out;
      }
      case GLOBAL_NORM: {
        Operand<TFloat32> threshold = tf.constant((float) clipping.threshold());
        Operand<TFloat32> scale = tf.math.div(threshold, tf.math.maximum(globalNorm(tf, gradients), threshold));
        List<Operand<TFloat32>> out = new ArrayList<>();
        gradients.forEach(g -> out.add(tf.math.mul(g, scale)));
        return out;
      }
      default:
        throw new IllegalArgumentException("unknown clipping " + clipping.kind());
    }
  }

  /** {@code sqrt(Σ ‖g‖²)} over all gradients. */
  static Operand<TFloat32> globalNorm(Ops tf, List<Operand<TFloat32>> gradients) {
    Operand<TFloat32> sum = null;
    for (Operand<TFloat32> g : gradients) {
      Operand<TFloat32> squares = tf.math.mul(tf.nn.l2Loss(g), tf.constant(2f)); // l2Loss is Σ g² / 2
      sum = sum == null ? squares : tf.math.add(sum, squares);
    }
    return tf.math.sqrt(sum);
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> floats(Output<?> g) {
    return (Operand<TFloat32>) g;
  }
}

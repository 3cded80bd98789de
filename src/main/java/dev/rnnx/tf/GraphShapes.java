package dev.rnnx.tf;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Shape arithmetic on graph values whose batch and time axes are only known at run time. */
final class GraphShapes {

  private GraphShapes() {}

  /** The run-time sizes of some axes of {@code x}, as an int32 vector. */
  static Operand<TInt32> dims(Ops tf, Operand<?> x, int... axes) {
    return tf.gather(tf.shape(x), tf.constant(axes), tf.constant(0));
  }

  /** A shape vector: the run-time sizes of some axes of {@code x}, then fixed sizes. */
  static Operand<TInt32> dimsThen(Ops tf, Operand<?> x, int[] axes, int... fixed) {
    return tf.concat(List.of(dims(tf, x, axes), tf.constant(fixed)), tf.constant(0));
  }

  /** Float zeros of a run-time shape. */
  static Operand<TFloat32> zeros(Ops tf, Operand<TInt32> shape) {
    return tf.zeros(shape, TFloat32.class);
  }

  /**
   * Declares the static shape of a value whose shape the graph lost (control-flow outputs), so
   * that signatures describe it; -1 marks a dynamic axis. Also checked at run time.
   */
  static Operand<TFloat32> declare(Ops tf, Operand<TFloat32> x, long... dims) {
    return tf.ensureShape(x, Shape.of(dims));
  }
}

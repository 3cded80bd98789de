package dev.rnnx.tf;

import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/** Graph ops TF Java's {@code Ops} does not offer. */
final class TfOps {

  private TfOps() {}

  /**
   * TF's original {@code Select}: row b of the result is {@code a[b]} where {@code cond[b]}, else
   * {@code b[b]}, for a rank-1 condition {@code [B]}. {@code Ops.select} builds {@code SelectV2},
   * which broadcasts a rank-1 condition against the last axis instead, and whose C++ gradient
   * carries broadcast bookkeeping; Select's gradient is two Selects and a ZerosLike.
   */
  static Operand<TFloat32> selectRows(Ops tf, Operand<TBool> cond, Operand<TFloat32> a, Operand<TFloat32> b) {
    OperationBuilder op = tf.scope().opBuilder("Select", "SelectRows");
    op.addInput(cond.asOutput());
    op.addInput(a.asOutput());
    op.addInput(b.asOutput());
    return op.build().output(0);
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelInput;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Keras masking in a TensorFlow graph (see {@link dev.rnnx.spec.Sequential}): the unmasked steps of
 * each row move to the front in order, and the row's length is their count; the recurrent layer
 * that reads the compacted input with those lengths skips exactly the masked steps.
 *
 * <pre>
 * keep     bool [B, T]   ReduceAny(NotEqual(x, mask_value), axis 2)   (token ids: NotEqual(ids, mask_value))
 * key      int32 [B, T]  t + T·(1 − keep)                             (unmasked steps first, each group in order)
 * order    int32 [B, T]  TopK(−key, T).indices
 * x'       [B, T, …]     Gather(x, order, axis 1, batch_dims 1)
 * lengths  int32 [B]     Max(Sum(keep, axis 1), 1)
 * kept     float [B, 1]  Cast(Sum(keep, axis 1) > 0)   (the consumer's output × kept: zeros for a fully masked row)
 * source   int32 [B, T]  Cumsum(keep, axis 1) − 1      (a sequence output back at the original steps:
 *                        Gather(y, Maximum(source, 0), axis 1, batch_dims 1) × Cast(source ≥ 0): a masked step
 *                        repeats the previous output, zeros before the first unmasked step)
 * </pre>
 *
 * @param x the compacted input
 * @param lengths the number of unmasked steps of each row, at least 1
 * @param kept 1 for a row with an unmasked step, 0 for one with none, {@code [B, 1]}
 * @param source for each original step, the compacted step whose output it repeats, −1 before the first unmasked step
 * @param ahead for each original step, the unmasked steps before it ({@code Cumsum(keep) − keep}): the compacted step of
 *     the first unmasked step at or after it (a backward half's output there), valid where less than the count
 * @param count the number of unmasked steps of each row, {@code [B]}
 */
record MaskCompaction(Operand<?> x, Operand<TInt32> lengths, Operand<TFloat32> kept, Operand<TInt32> source,
    Operand<TInt32> ahead, Operand<TInt32> count) {

  /** Compacts {@code input} (float {@code [B, T, F]} or int64 ids {@code [B, T]}) by {@code spec}'s mask value. */
  static MaskCompaction of(Ops tf, Operand<?> input, ModelInput spec) {
    Operand<TBool> keep = spec.tokens()
        ? tf.math.notEqual(input.asOutput().expect(TInt64.class), tf.constant((long) spec.maskValue()))
        : tf.reduceAny(tf.math.notEqual(input.asOutput().expect(TFloat32.class), tf.constant((float) spec.maskValue())),
            tf.constant(2));
    Operand<TInt32> keepInt = tf.dtypes.cast(keep, TInt32.class);
    Operand<TInt32> steps = AttentionOps.size(tf, keepInt, 1);
    Operand<TInt32> positions = tf.range(tf.constant(0), steps, tf.constant(1));
    Operand<TInt32> key = tf.math.add(positions, tf.math.mul(steps, tf.math.sub(tf.constant(1), keepInt)));
    Operand<TInt32> order = tf.nn.topK(tf.math.neg(key), steps, new org.tensorflow.op.nn.TopK.Options[0]).indices();
    Operand<?> compacted = gather(tf, input, order);
    Operand<TInt32> count = tf.sum(keepInt, tf.constant(1));
    Operand<TFloat32> kept = tf.expandDims(tf.dtypes.cast(tf.math.greater(count, tf.constant(0)), TFloat32.class), tf.constant(1));
    Operand<TInt32> source = tf.math.sub(tf.math.cumsum(keepInt, tf.constant(1)), tf.constant(1));
    return new MaskCompaction(compacted, tf.math.maximum(count, tf.constant(1)), kept, source,
        tf.math.sub(tf.math.add(source, tf.constant(1)), keepInt), count);
  }

  /** The consumer's output restored: a sequence ({@code rank} 3) brought back to the original steps, a last output with empty rows zeroed. */
  Operand<TFloat32> restore(Ops tf, Operand<TFloat32> output, int rank) {
    return restore(tf, output, rank, null);
  }

  /**
   * The last mask reader's output as Keras gives it (see {@code ref.MaskCompaction#restore}): a last
   * output with empty rows zeroed; a forward sequence from {@code source}; a {@code go_backwards}
   * sequence (processing order), entry j from {@code count − 1 − ahead[T−1−j]} where
   * {@code ahead[T−1−j] < count}; a bidirectional sequence (any merge; Keras's Bidirectional zeroes
   * masked steps) the same gathers times {@code keep} (reversed when the bidirectional is
   * {@link Bidirectional#reversed()}), with {@code keep = source + 1 − ahead}.
   *
   * @param reader the layer that produced it, or null for a one-directional forward one
   */
  Operand<TFloat32> restore(Ops tf, Operand<TFloat32> output, int rank, Layer reader) {
    if (rank != 3) {
      return tf.math.mul(output, kept);
    }
    Operand<TInt32> countColumn = tf.expandDims(count, tf.constant(1));
    boolean bidirectional = reader instanceof Bidirectional;
    boolean backwards = Bidirectional.reversesTime(reader);
    Operand<TInt32> keep = tf.math.sub(tf.math.add(source, tf.constant(1)), ahead);
    Operand<TInt32> index;
    Operand<TBool> valid;
    if (backwards) {
      Operand<TInt32> q = tf.reverse(ahead, tf.constant(new int[] {1}));
      index = tf.math.maximum(tf.math.sub(tf.math.sub(countColumn, tf.constant(1)), q), tf.constant(0));
      valid = tf.math.less(q, countColumn);
      keep = tf.reverse(keep, tf.constant(new int[] {1}));
    } else {
      index = tf.math.maximum(source, tf.constant(0));
      valid = tf.math.greaterEqual(source, tf.constant(0));
    }
    if (bidirectional) {
      valid = tf.math.greater(keep, tf.constant(0));
    }
    return tf.math.mul(gather(tf, output, index), valid(tf, valid));
  }

  /** {@code [B, T]} float: 1 at the unmasked steps of the original input ({@code source + 1 − ahead}), 0 at the masked ones. */
  Operand<TFloat32> keep(Ops tf) {
    return tf.dtypes.cast(tf.math.sub(tf.math.add(source, tf.constant(1)), ahead), TFloat32.class);
  }

  /** {@code [B, T, 1]} float flags. */
  private static Operand<TFloat32> valid(Ops tf, Operand<TBool> flags) {
    return tf.expandDims(tf.dtypes.cast(flags, TFloat32.class), tf.constant(2));
  }

  private static <T extends org.tensorflow.types.family.TType> Operand<T> gather(Ops tf, Operand<T> x, Operand<TInt32> order) {
    return tf.gather(x, order, tf.constant(1), Gather.batchDims(1L));
  }
}

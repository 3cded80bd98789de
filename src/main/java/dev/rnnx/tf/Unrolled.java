package dev.rnnx.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A value flowing between the layers of a graph unrolled over a fixed number of time steps: a
 * sequence {@code [B, T, d]}, a single {@code [B, d]} value, or the model's token ids
 * {@code [B, T]}. A sequence is held as one operand per time step, as one {@code [B, T, d]}
 * operand, or both: each form is built from the other on first use (one Unstack or Stack op), so
 * a recurrent layer reads steps while a dense layer works on the whole tensor at once.
 */
public final class Unrolled {

  private final boolean sequence;
  private final int length;
  private final Operand<TInt64> ids;
  private List<Operand<TFloat32>> steps;
  private Operand<TFloat32> tensor;

  private Unrolled(boolean sequence, int length, List<Operand<TFloat32>> steps, Operand<TFloat32> tensor, Operand<TInt64> ids) {
    this.sequence = sequence;
    this.length = length;
    this.steps = steps == null ? null : List.copyOf(steps);
    this.tensor = tensor;
    this.ids = ids;
  }

  /** A sequence given as its time steps, each {@code [B, d]}. */
  public static Unrolled sequence(List<Operand<TFloat32>> steps) {
    if (steps == null || steps.isEmpty()) {
      throw new IllegalArgumentException("a sequence needs at least one step, got " + (steps == null ? 0 : steps.size()));
    }
    return new Unrolled(true, steps.size(), steps, null, null);
  }

  /** A sequence given as one {@code [B, length, d]} tensor. */
  public static Unrolled sequence(Operand<TFloat32> tensor, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a sequence needs at least one step, got " + length);
    }
    return new Unrolled(true, length, null, tensor, null);
  }

  /** A single value without a time axis. */
  public static Unrolled single(Operand<TFloat32> value) {
    return new Unrolled(false, 0, List.of(value), value, null);
  }

  /** Token ids {@code [B, length]}, the input of an embedding. */
  public static Unrolled tokens(Operand<TInt64> ids, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a sequence needs at least one step, got " + length);
    }
    return new Unrolled(true, length, null, null, ids);
  }

  /** Whether this is a sequence (float steps or token ids). */
  public boolean sequence() {
    return sequence;
  }

  /** Whether this holds token ids rather than floats. */
  public boolean tokens() {
    return ids != null;
  }

  /** The number of time steps of a sequence. */
  public int length() {
    if (!sequence) {
      throw new IllegalStateException("a single value has no time steps");
    }
    return length;
  }

  /** The token ids {@code [B, T]}. */
  public Operand<TInt64> ids() {
    if (ids == null) {
      throw new IllegalStateException("this value holds floats, not token ids");
    }
    return ids;
  }

  /** The one operand of a single value. */
  public Operand<TFloat32> value() {
    if (sequence) {
      throw new IllegalStateException("a sequence of " + length + " steps has no single value");
    }
    return tensor;
  }

  /** The time steps of a sequence, each {@code [B, d]}; unstacked on first use. */
  public List<Operand<TFloat32>> steps(Ops tf) {
    checkFloats();
    if (steps == null) {
      steps = new ArrayList<>(tf.unstack(tensor, (long) length, Unstack.axis(1L)).output());
      steps = List.copyOf(steps);
    }
    return steps;
  }

  /** The value as one tensor: {@code [B, T, d]} for a sequence, {@code [B, d]} otherwise; stacked on first use. */
  public Operand<TFloat32> tensor(Ops tf) {
    checkFloats();
    if (tensor == null) {
      tensor = tf.stack(steps, Stack.axis(1L));
    }
    return tensor;
  }

  private void checkFloats() {
    if (ids != null) {
      throw new IllegalStateException("token ids must go through an embedding first");
    }
  }
}

package dev.rnnx.tf;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;

/**
 * A value flowing between the layers of a graph unrolled over time: either one time step per
 * operand (a sequence, each step {@code [B, d]}) or a single {@code [B, d]} operand.
 *
 * @param steps the operands, one per time step for a sequence, exactly one otherwise
 * @param sequence whether {@code steps} are time steps of a rank-3 value
 */
public record Unrolled(List<Operand<TFloat32>> steps, boolean sequence) {

  /** Copies the steps and checks their count. */
  public Unrolled {
    steps = List.copyOf(steps);
    if (steps.isEmpty() || (!sequence && steps.size() != 1)) {
      throw new IllegalArgumentException((sequence ? "a sequence needs at least one step" : "a single value needs one operand")
          + ", got " + steps.size());
    }
  }

  /** A sequence of time steps. */
  public static Unrolled sequence(List<Operand<TFloat32>> steps) {
    return new Unrolled(steps, true);
  }

  /** A single value without a time axis. */
  public static Unrolled single(Operand<TFloat32> value) {
    return new Unrolled(List.of(value), false);
  }

  /** The one operand of a single value. */
  public Operand<TFloat32> value() {
    if (sequence) {
      throw new IllegalStateException("a sequence of " + steps.size() + " steps has no single value");
    }
    return steps.get(0);
  }

  /** The value as one tensor: {@code [B, T, d]} for a sequence, {@code [B, d]} otherwise. */
  public Operand<TFloat32> toTensor(Ops tf) {
    return sequence ? tf.stack(steps, Stack.axis(1L)) : steps.get(0);
  }
}

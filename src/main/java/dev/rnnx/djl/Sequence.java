package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.InvalidInputException.Problem;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;

/**
 * One input sequence for a task predictor: float features {@code [time, features]} or token ids
 * {@code [time]}, without a batch axis. Its length is its time axis: a model that reads
 * {@code lengths} is told it, and requests of different lengths still share a batch (padding
 * never changes a result; see {@link Batches}).
 *
 * @param values a {@link FloatTensor} of rank 2 or a {@link LongTensor} of rank 1, at least one step
 */
public record Sequence(Tensor values) {

  /**
   * @throws InvalidInputException for a null, empty or wrongly shaped sequence
   */
  public Sequence {
    if (values == null) {
      throw new InvalidInputException(Problem.NAME, "input", "the sequence is null");
    }
    boolean features = values instanceof FloatTensor && values.rank() == 2;
    boolean tokens = values instanceof LongTensor && values.rank() == 1;
    if (!features && !tokens) {
      throw new InvalidInputException(Problem.RANK, "input", "a sequence is float features [time, features] or token ids"
          + " [time], got " + (values instanceof FloatTensor ? "floats " : "integers ") + values.shapeString());
    }
    if (values.size() == 0) {
      throw new InvalidInputException(Problem.EMPTY, "input", "the sequence " + values.shapeString()
          + " is empty, expected at least one step");
    }
  }

  /** Features, one row per step. */
  public static Sequence ofFeatures(float[][] steps) {
    int f = steps.length == 0 ? 0 : steps[0].length;
    float[] data = new float[steps.length * f];
    for (int t = 0; t < steps.length; t++) {
      if (steps[t].length != f) {
        throw new InvalidInputException(Problem.SHAPE, "input", "step " + t + " has " + steps[t].length
            + " features, step 0 has " + f + "; every step needs the same number");
      }
      System.arraycopy(steps[t], 0, data, t * f, f);
    }
    return new Sequence(FloatTensor.of(data, steps.length, f));
  }

  /** Features in row-major order, {@code features} per step. */
  public static Sequence ofFeatures(float[] values, int features) {
    if (features < 1 || values.length % features != 0) {
      throw new InvalidInputException(Problem.SHAPE, "input", values.length + " values do not make whole steps of "
          + features + " features");
    }
    return new Sequence(FloatTensor.of(values.clone(), values.length / features, features));
  }

  /** Token ids. */
  public static Sequence ofTokens(long... ids) {
    return new Sequence(LongTensor.of(ids.clone(), ids.length));
  }

  /** The number of steps. */
  public int length() {
    return Math.toIntExact(values.dim(0));
  }

  /** Whether the sequence holds token ids. */
  public boolean tokens() {
    return values instanceof LongTensor;
  }
}

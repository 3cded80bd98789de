package dev.rnnx.spec;

/**
 * The seeds' binary addition (001, 004): two random numbers a, b &lt; 2^(bits−1) are fed bit by bit,
 * least significant first, as two features per step; the target at step t is bit t of a + b.
 * Inputs {@code [N, bits, 2]}, targets {@code [N, bits, 1]}. A sum counts as correct when every
 * rounded output bit is right.
 *
 * @param bits bits per number and time steps per example (8 in the seeds)
 * @param samples training examples; with batch size 1 this is the seeds' iteration count
 * @param heldOut held-out sums for validation (1,000 in the experiment)
 */
public record BinaryAdditionTask(int bits, int samples, int heldOut) implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "binary_addition";

  /** Validates the settings. */
  public BinaryAdditionTask {
    if (bits < 2 || bits > 31) {
      throw new IllegalArgumentException("data.bits is " + bits + ", expected 2 … 31");
    }
    if (samples < 1) {
      throw new IllegalArgumentException("data.samples is " + samples + ", expected a positive integer");
    }
    if (heldOut < 1) {
      throw new IllegalArgumentException("data.held_out is " + heldOut + ", expected a positive integer");
    }
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return bits;
  }

  @Override
  public ModelInput modelInput() {
    return ModelInput.ofFeatures(2);
  }

  @Override
  public Shape targetShape() {
    return Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, 1);
  }
}

package dev.rnnx.spec;

/**
 * A tagging task that needs both past and future context: the input is a random bit per step
 * (one feature); the tag at step t is {@code x[t−1] + x[t+1]} (missing neighbours read as 0),
 * one-hot over three classes 0, 1, 2. The tag is a sum of one past and one future term, so a
 * bidirectional reader with a linear head can reach 100 %; a forward-only reader does not know
 * {@code x[t+1]} at step t and cannot beat 50 % at any step but the last (whose right neighbour
 * is known to be 0): about 50 % + 50 % / T overall. (An XOR of the neighbours would defeat a
 * linear head on the concatenated halves, since it is no sum of a past and a future term.)
 * Targets {@code [N, T, 3]}.
 *
 * @param length steps per sequence
 * @param samples examples generated
 * @param validationFraction fraction held out
 */
public record ContextTaggingTask(int length, int samples, double validationFraction) implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "context_tagging";

  /** The number of tag classes. */
  public static final int CLASSES = 3;

  /** Validates the settings. */
  public ContextTaggingTask {
    if (length < 3) {
      throw new IllegalArgumentException("data.length is " + length + ", expected at least 3");
    }
    if (samples < 2) {
      throw new IllegalArgumentException("data.samples is " + samples + ", expected at least 2");
    }
    SineTask.checkFraction(validationFraction);
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public int sequenceLength() {
    return length;
  }

  @Override
  public ModelInput modelInput() {
    return ModelInput.ofFeatures(1);
  }

  @Override
  public Shape targetShape() {
    return Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, CLASSES);
  }
}

package dev.rnnx.spec;

/**
 * Variable-length sequence classification: each sequence holds between {@code minLength} and
 * {@code maxLength} tokens drawn from ids 1 … vocabulary−1 (0 pads); its class is which of the
 * ids 1 … classes occurs most often in it. Lengths are uniform in [min, max]; a sequence with a
 * tie (including none of the competing ids occurring) has its tokens redrawn at the same length. Inputs are token
 * ids {@code [N, maxLength]} with {@code lengths [N]}; targets one-hot {@code [N, classes]}.
 *
 * @param vocabulary token ids 0 … vocabulary−1, 0 being padding
 * @param classes the competing ids 1 … classes
 * @param minLength shortest sequence
 * @param maxLength longest sequence
 * @param samples examples generated
 * @param validationFraction fraction held out
 */
public record MajorityTokensTask(int vocabulary, int classes, int minLength, int maxLength, int samples,
    double validationFraction) implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "majority_tokens";

  /** Validates the settings. */
  public MajorityTokensTask {
    if (classes < 2 || vocabulary < classes + 1) {
      throw new IllegalArgumentException("data.classes is " + classes + " and data.vocabulary " + vocabulary
          + ", expected classes >= 2 and vocabulary > classes");
    }
    if (minLength < 1 || maxLength < minLength) {
      throw new IllegalArgumentException("data.min_length " + minLength + " and data.max_length " + maxLength
          + " must satisfy 1 <= min_length <= max_length");
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
    return maxLength;
  }

  @Override
  public ModelInput modelInput() {
    return ModelInput.ofTokens().withLengths();
  }

  @Override
  public Shape targetShape() {
    return Shape.of(Shape.DYNAMIC, classes);
  }
}

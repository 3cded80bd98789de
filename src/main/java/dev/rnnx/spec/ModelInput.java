package dev.rnnx.spec;

/**
 * What a model reads: float features {@code [batch, time, features]} or token ids
 * {@code [batch, time]} (for a model that starts with an {@link Embedding}), optionally with the
 * length of each sequence.
 *
 * @param tokens whether the input is token ids rather than features
 * @param features the feature count; 1 for token inputs
 * @param lengths whether the model takes a {@code lengths [batch]} input (int32; each 1 … T)
 * @param maskValue Keras masking, or NaN for none: a step whose features all equal this value (a
 *     token input: whose id equals it, Keras's {@code Embedding(mask_zero=True)} with 0) is masked,
 *     and the first recurrent layer skips it, keeping its state (see {@link Sequential})
 */
public record ModelInput(boolean tokens, int features, boolean lengths, double maskValue) {

  /** An input without a mask. */
  public ModelInput(boolean tokens, int features, boolean lengths) {
    this(tokens, features, lengths, Double.NaN);
  }

  /** Validates the feature count. */
  public ModelInput {
    if (features < 1) {
      throw new IllegalArgumentException("input features is " + features + ", expected a positive integer");
    }
    if (tokens && features != 1) {
      throw new IllegalArgumentException("a token input has no feature axis, got features " + features);
    }
    if (lengths && !Double.isNaN(maskValue)) {
      throw new IllegalArgumentException("an input has either lengths or a mask_value, not both");
    }
    if (tokens && !Double.isNaN(maskValue) && (maskValue != Math.rint(maskValue) || maskValue < 0)) {
      throw new IllegalArgumentException("a token input's mask_value must be a token id (an integer ≥ 0), got " + maskValue);
    }
  }

  /** Whether steps are masked by {@link #maskValue()}. */
  public boolean masked() {
    return !Double.isNaN(maskValue);
  }

  /** Float features of a given size. */
  public static ModelInput ofFeatures(int features) {
    return new ModelInput(false, features, false);
  }

  /** Token ids. */
  public static ModelInput ofTokens() {
    return new ModelInput(true, 1, false);
  }

  /** The same input, with a {@code lengths} input. */
  public ModelInput withLengths() {
    return new ModelInput(tokens, features, true, maskValue);
  }

  /** The same input, masking the steps equal to {@code value}. */
  public ModelInput withMask(double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("mask_value is NaN, expected a number");
    }
    return new ModelInput(tokens, features, lengths, value);
  }

  /** The shape of the main input: {@code (None, None, features)} or {@code (None, None)}. */
  public Shape shape() {
    return tokens ? Shape.of(Shape.DYNAMIC, Shape.DYNAMIC) : Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, features);
  }
}

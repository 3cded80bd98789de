package dev.rnnx.spec;

/**
 * What a model reads: float features {@code [batch, time, features]} or token ids
 * {@code [batch, time]} (for a model that starts with an {@link Embedding}), optionally with the
 * length of each sequence.
 *
 * @param tokens whether the input is token ids rather than features
 * @param features the feature count; 1 for token inputs
 * @param lengths whether the model takes a {@code lengths [batch]} input (int32; each 1 … T)
 */
public record ModelInput(boolean tokens, int features, boolean lengths) {

  /** Validates the feature count. */
  public ModelInput {
    if (features < 1) {
      throw new IllegalArgumentException("input features is " + features + ", expected a positive integer");
    }
    if (tokens && features != 1) {
      throw new IllegalArgumentException("a token input has no feature axis, got features " + features);
    }
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
    return new ModelInput(tokens, features, true);
  }

  /** The shape of the main input: {@code (None, None, features)} or {@code (None, None)}. */
  public Shape shape() {
    return tokens ? Shape.of(Shape.DYNAMIC, Shape.DYNAMIC) : Shape.of(Shape.DYNAMIC, Shape.DYNAMIC, features);
  }
}

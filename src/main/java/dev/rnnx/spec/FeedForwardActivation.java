package dev.rnnx.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The activation between the two dense layers of a {@link TransformerEncoder}'s feed-forward part:
 *
 * <ul>
 *   <li>{@code relu}: {@code max(0, x)} (the default, as PyTorch's {@code TransformerEncoderLayer});
 *   <li>{@code gelu}: {@code x · Φ(x) = 0.5 · x · (1 + erf(x / √2))}, the exact form (PyTorch's
 *       {@code activation='gelu'}, not its {@code tanh} approximation).
 * </ul>
 */
public enum FeedForwardActivation {
  RELU, GELU;

  /** The recipe name. */
  public String recipeName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a recipe name, naming the choices when unknown. */
  public static FeedForwardActivation fromName(String name) {
    for (FeedForwardActivation a : values()) {
      if (a.recipeName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown feed-forward activation '" + name + "', expected one of "
        + Arrays.stream(values()).map(FeedForwardActivation::recipeName).collect(Collectors.joining(", ", "[", "]")));
  }
}

package dev.rnnx.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Training losses. */
public enum Loss {
  /** Mean squared error over every output element. */
  MSE("mse");

  private final String recipeName;

  Loss(String recipeName) {
    this.recipeName = recipeName;
  }

  /** The name used in recipes. */
  public String recipeName() {
    return recipeName;
  }

  /** Parses a recipe name, naming the valid choices when it is unknown. */
  public static Loss fromName(String name) {
    for (Loss l : values()) {
      if (l.recipeName.equalsIgnoreCase(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + name + "', expected one of "
        + Arrays.stream(values()).map(Loss::recipeName).collect(Collectors.joining(", ", "[", "]")));
  }
}

package dev.rnnx.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Gradient-descent optimisers a recipe can choose. */
public enum OptimizerKind {
  /** Plain stochastic gradient descent. */
  SGD("sgd"),
  /** SGD with momentum 0.9. */
  MOMENTUM("momentum"),
  /** Adam (Kingma and Ba, 2015) with TF's default betas and epsilon. */
  ADAM("adam"),
  /** RMSProp with decay 0.9. */
  RMSPROP("rmsprop");

  private final String recipeName;

  OptimizerKind(String recipeName) {
    this.recipeName = recipeName;
  }

  /** The name used in recipes. */
  public String recipeName() {
    return recipeName;
  }

  /** Parses a recipe name, naming the valid choices when it is unknown. */
  public static OptimizerKind fromName(String name) {
    for (OptimizerKind k : values()) {
      if (k.recipeName.equalsIgnoreCase(name)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown optimizer '" + name + "', expected one of "
        + Arrays.stream(values()).map(OptimizerKind::recipeName).collect(Collectors.joining(", ", "[", "]")));
  }
}

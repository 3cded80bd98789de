package dev.rnnx.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Element-wise activation functions, named as in Keras recipes. */
public enum Activation {
  LINEAR("linear"),
  TANH("tanh"),
  SIGMOID("sigmoid"),
  RELU("relu");

  private final String recipeName;

  Activation(String recipeName) {
    this.recipeName = recipeName;
  }

  /** The name used in recipes, e.g. {@code "tanh"}. */
  public String recipeName() {
    return recipeName;
  }

  /** Applies the function to one value, in double precision. */
  public double apply(double x) {
    return switch (this) {
      case LINEAR -> x;
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
      case RELU -> x > 0 ? x : 0.0;
    };
  }

  /**
   * Parses a recipe name.
   *
   * @throws IllegalArgumentException naming the value and the valid choices
   */
  public static Activation fromName(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Activation a : values()) {
      if (a.recipeName.equals(wanted)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "', expected one of " + choices());
  }

  /** The valid recipe names, for error messages. */
  public static String choices() {
    return Arrays.stream(values()).map(Activation::recipeName).collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public String toString() {
    return recipeName;
  }
}

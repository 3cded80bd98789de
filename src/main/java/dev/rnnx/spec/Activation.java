package dev.rnnx.spec;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Activation functions, named as in Keras recipes. All but {@link #SOFTMAX} act element-wise;
 * softmax normalises the last axis and is only allowed on {@link Dense} layers.
 *
 * <p>{@code hard_sigmoid} is Keras 2's {@code clip(0.2·x + 0.5, 0, 1)}, ONNX's {@code HardSigmoid}
 * with alpha 0.2 and beta 0.5; {@code hard_sigmoid_keras3} is Keras 3's {@code relu6(x + 3) / 6}
 * ({@code clip(x/6 + 0.5, 0, 1)}, ONNX's {@code HardSigmoid} with alpha 1/6 and beta 0.5), which
 * Keras 3 files call {@code hard_sigmoid}; {@code elu} uses alpha 1.
 */
public enum Activation {
  LINEAR("linear"),
  TANH("tanh"),
  SIGMOID("sigmoid"),
  RELU("relu"),
  HARD_SIGMOID("hard_sigmoid"),
  HARD_SIGMOID_KERAS3("hard_sigmoid_keras3"),
  SOFTSIGN("softsign"),
  SOFTPLUS("softplus"),
  ELU("elu"),
  SOFTMAX("softmax");

  /** The activations a recurrent cell accepts for its gates and candidates (ONNX's RNN-op set). */
  public static final Set<Activation> RECURRENT =
      EnumSet.of(TANH, SIGMOID, RELU, HARD_SIGMOID, HARD_SIGMOID_KERAS3, SOFTSIGN, SOFTPLUS, ELU);

  private final String recipeName;

  Activation(String recipeName) {
    this.recipeName = recipeName;
  }

  /** The name used in recipes, e.g. {@code "tanh"}. */
  public String recipeName() {
    return recipeName;
  }

  /** Whether the function acts on each element alone (everything but softmax). */
  public boolean isElementwise() {
    return this != SOFTMAX;
  }

  /**
   * Applies an element-wise function to one value, in double precision.
   *
   * @throws UnsupportedOperationException for softmax, which needs a whole axis
   */
  public double apply(double x) {
    return switch (this) {
      case LINEAR -> x;
      case TANH -> Math.tanh(x);
      case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
      case RELU -> x > 0 ? x : 0.0;
      case HARD_SIGMOID -> Math.max(0.0, Math.min(1.0, 0.2 * x + 0.5));
      case HARD_SIGMOID_KERAS3 -> Math.max(0.0, Math.min(6.0, x + 3.0)) / 6.0;
      case SOFTSIGN -> x / (1.0 + Math.abs(x));
      case SOFTPLUS -> x > 30 ? x : Math.log1p(Math.exp(x));
      case ELU -> x > 0 ? x : Math.expm1(x);
      case SOFTMAX -> throw new UnsupportedOperationException("softmax acts on a whole axis, not one value");
    };
  }

  /** Softmax over {@code n} values starting at {@code offset}, in place, stabilised by the maximum. */
  public static void softmaxInPlace(double[] v, int offset, int n) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, v[offset + i]);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      v[offset + i] = Math.exp(v[offset + i] - max);
      sum += v[offset + i];
    }
    for (int i = 0; i < n; i++) {
      v[offset + i] /= sum;
    }
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
    throw new IllegalArgumentException("unknown activation '" + name + "', expected one of " + choices(EnumSet.allOf(Activation.class)));
  }

  /** The recipe names of a set of activations, for error messages. */
  public static String choices(Set<Activation> set) {
    return Arrays.stream(values()).filter(set::contains).map(Activation::recipeName).collect(Collectors.joining(", ", "[", "]"));
  }

  /** Checks a recurrent activation, naming the layer and the field. */
  static Activation checkRecurrent(String layer, String field, Activation a) {
    if (a == null || !RECURRENT.contains(a)) {
      throw new IllegalArgumentException("layer '" + layer + "': " + field + " is " + a + ", expected one of " + choices(RECURRENT));
    }
    return a;
  }

  @Override
  public String toString() {
    return recipeName;
  }
}

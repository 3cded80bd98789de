package dev.rnnx.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The loss of one output of a {@link Graph} model trained on an {@link ArraysTask}, as Keras's
 * {@code compile(loss={output: ...})} names it. The model's loss is the weighted sum of its
 * outputs' losses.
 */
public enum OutputLoss {
  /** Mean squared error over every output element; targets shaped as the output. */
  MSE("mse"),
  /** Binary cross-entropy over every element; a sigmoid output, targets in [0, 1] shaped as it. */
  BINARY_CROSSENTROPY("binary_crossentropy"),
  /** −Σ y log p over the last axis, averaged over examples (and steps); a softmax output, one-hot targets shaped as it. */
  CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
  /**
   * −log p[class] averaged over examples (and steps); a softmax output, integer class ids shaped as
   * the output without its last axis.
   */
  SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy");

  private final String recipeName;

  OutputLoss(String recipeName) {
    this.recipeName = recipeName;
  }

  /** The name used in recipes. */
  public String recipeName() {
    return recipeName;
  }

  /** The activation the output must have, or {@code null} when any will do. */
  public Activation requiredActivation() {
    return switch (this) {
      case MSE -> null;
      case BINARY_CROSSENTROPY -> Activation.SIGMOID;
      case CATEGORICAL_CROSSENTROPY, SPARSE_CATEGORICAL_CROSSENTROPY -> Activation.SOFTMAX;
    };
  }

  /** Whether the targets are integer class ids (one axis fewer than the output). */
  public boolean sparse() {
    return this == SPARSE_CATEGORICAL_CROSSENTROPY;
  }

  /**
   * The loss {@code auto} chooses for an output ending in a dense map with this activation (null:
   * any other layer): softmax gives sparse categorical cross-entropy, sigmoid binary
   * cross-entropy, anything else mean squared error.
   */
  public static OutputLoss chosen(Activation activation) {
    return activation == Activation.SOFTMAX ? SPARSE_CATEGORICAL_CROSSENTROPY
        : activation == Activation.SIGMOID ? BINARY_CROSSENTROPY : MSE;
  }

  /**
   * A recipe's {@code training.loss} as the loss of the outputs the data section names none for;
   * null for {@link Loss#AUTO}.
   *
   * @throws IllegalArgumentException for a loss a graph output cannot take
   */
  public static OutputLoss of(Loss loss) {
    return switch (loss) {
      case AUTO -> null;
      case MSE -> MSE;
      case BINARY_CROSSENTROPY -> BINARY_CROSSENTROPY;
      case CATEGORICAL_CROSSENTROPY -> CATEGORICAL_CROSSENTROPY;
      case HALF_SSE -> throw new IllegalArgumentException("training.loss half_sse is for sequential models; a graph model takes "
          + "auto or one of " + names());
    };
  }

  /** Parses a recipe name, naming the valid choices when it is unknown. */
  public static OutputLoss fromName(String name) {
    for (OutputLoss l : values()) {
      if (l.recipeName.equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown loss '" + name + "', expected one of " + names());
  }

  private static String names() {
    return Arrays.stream(values()).map(OutputLoss::recipeName).collect(Collectors.joining(", ", "[", "]"));
  }
}

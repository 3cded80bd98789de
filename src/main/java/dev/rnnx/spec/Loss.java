package dev.rnnx.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Training losses, on the model's output (probabilities, as Keras's {@code from_logits=False}).
 * On sequence outputs with a {@code lengths} input, steps past a sequence's length do not count.
 */
public enum Loss {
  /** Mean squared error over every output element. */
  MSE("mse"),
  /**
   * Half the sum of squared errors over an example's elements (every valid step), averaged over
   * the batch: the loss the seeds' NumPy code back-propagates (their {@code mean_squared_error}
   * of one bit per step, ½(y − d)², summed over the steps by BPTT).
   */
  HALF_SSE("half_sse"),
  /** −[y log p + (1 − y) log(1 − p)], averaged; needs a sigmoid output. */
  BINARY_CROSSENTROPY("binary_crossentropy"),
  /** −Σ y log p over the last axis, averaged over examples (and steps); needs a softmax output. */
  CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
  /**
   * A graph model's outputs each with the loss chosen from the output ({@link OutputLoss#chosen}),
   * where the data section names none; graph models only.
   */
  AUTO("auto");

  private final String recipeName;

  Loss(String recipeName) {
    this.recipeName = recipeName;
  }

  /** The name used in recipes. */
  public String recipeName() {
    return recipeName;
  }

  /** The output activation the loss needs, or {@code null} when any will do. */
  public Activation requiredActivation() {
    return switch (this) {
      case MSE, HALF_SSE -> null;
      case BINARY_CROSSENTROPY -> Activation.SIGMOID;
      case CATEGORICAL_CROSSENTROPY -> Activation.SOFTMAX;
      case AUTO -> null;
    };
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

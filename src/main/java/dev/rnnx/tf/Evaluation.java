package dev.rnnx.tf;

import java.util.Map;

/**
 * The validation set judged after some optimisation step ({@link TrainingOptions#evaluateEvery}).
 *
 * @param step optimisation steps taken so far, from 1
 * @param epoch the epoch that step belongs to, from 1
 * @param validationLoss the loss on the validation set
 * @param metrics {@code accuracy} and {@code exact_match} when the recipe asks for accuracy, else empty
 */
public record Evaluation(int step, int epoch, double validationLoss, Map<String, Double> metrics) {

  /** Copies the metrics. */
  public Evaluation {
    metrics = Map.copyOf(metrics);
  }

  /** One metric, or NaN when absent. */
  public double metric(String name) {
    return metrics.getOrDefault(name, Double.NaN);
  }
}

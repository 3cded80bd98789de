package dev.rnnx.tf;

import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run produced. After a resumed run the histories cover the whole training, the
 * epochs before the checkpoint included.
 *
 * @param weights the trained parameters, in the canonical layout and in
 *     {@link dev.rnnx.spec.ModelSpec#parameters()} order
 * @param trainLoss the training loss of each epoch (mean over its minibatches, weighted by size)
 * @param validationLoss the validation loss after each epoch (NaN when the validation set is empty)
 * @param metrics per epoch, when the recipe asks for accuracy: {@code accuracy},
 *     {@code exact_match} (training minibatches, each judged before its update),
 *     {@code val_accuracy}, {@code val_exact_match}; word2vec adds {@code nearest_same_class}
 *     when its corpus names word classes; empty otherwise
 * @param evaluations the periodic evaluations ({@link TrainingOptions#evaluateEvery}), in order
 * @param steps optimisation steps taken in the whole training
 * @param stop why training ended
 * @param seconds wall time of this call, graph building included
 * @param stepMicros mean wall time of one optimisation step in this call (feeding, the session run
 *     and the fetched loss; not evaluations), in microseconds; NaN when it took none
 * @param epochSeconds wall time of each epoch: its steps, periodic evaluations and the end-of-epoch
 *     validation (not checkpoint writing); one per epoch, or empty when not measured
 */
public record TrainingResult(Weights weights, List<Double> trainLoss, List<Double> validationLoss,
    Map<String, List<Double>> metrics, List<Evaluation> evaluations, int steps, Stop stop, double seconds,
    double stepMicros, List<Double> epochSeconds) {

  /** Why training ended. */
  public enum Stop {
    /** Every epoch of the recipe ran. */
    COMPLETED,
    /** {@link TrainingOptions#stopWhen} held at an evaluation. */
    CONDITION,
    /** {@link TrainingOptions#stopAfterEpochs} was reached (a simulated interruption). */
    INTERRUPTED
  }

  /** Copies the collections and checks that they cover the same epochs. */
  public TrainingResult {
    if (weights == null) {
      throw new IllegalArgumentException("training result has no weights");
    }
    trainLoss = List.copyOf(trainLoss);
    validationLoss = List.copyOf(validationLoss);
    Map<String, List<Double>> m = new LinkedHashMap<>();
    metrics.forEach((k, v) -> m.put(k, List.copyOf(v)));
    metrics = java.util.Collections.unmodifiableMap(m);
    evaluations = List.copyOf(evaluations);
    epochSeconds = epochSeconds == null ? List.of() : List.copyOf(epochSeconds);
    if (trainLoss.isEmpty() || trainLoss.size() != validationLoss.size()) {
      throw new IllegalArgumentException("training result needs one train and one validation loss per epoch, got "
          + trainLoss.size() + " and " + validationLoss.size());
    }
    if (!epochSeconds.isEmpty() && epochSeconds.size() != trainLoss.size()) {
      throw new IllegalArgumentException("training result needs one time per epoch, got " + epochSeconds.size() + " for "
          + trainLoss.size() + " epochs");
    }
  }

  /** A result without per-epoch times. */
  public TrainingResult(Weights weights, List<Double> trainLoss, List<Double> validationLoss,
      Map<String, List<Double>> metrics, List<Evaluation> evaluations, int steps, Stop stop, double seconds,
      double stepMicros) {
    this(weights, trainLoss, validationLoss, metrics, evaluations, steps, stop, seconds, stepMicros, List.of());
  }

  /** A completed run with losses only (the walking skeleton's constructor). */
  public TrainingResult(Weights weights, List<Double> trainLoss, List<Double> validationLoss) {
    this(weights, trainLoss, validationLoss, Map.of(), List.of(), 0, Stop.COMPLETED, Double.NaN, Double.NaN, List.of());
  }

  /** The training loss of the last epoch. */
  public double finalLoss() {
    return trainLoss.get(trainLoss.size() - 1);
  }

  /** The validation loss after the last epoch. */
  public double finalValidationLoss() {
    return validationLoss.get(validationLoss.size() - 1);
  }

  /** The last value of a per-epoch metric, or NaN when absent. */
  public double finalMetric(String name) {
    List<Double> values = metrics.get(name);
    return values == null || values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
  }

  /** The mean wall time of the epochs run in this call and before (NaN when not measured). */
  public double meanEpochSeconds() {
    return epochSeconds.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  /** The epochs covered, the partial last one of a stopped run included. */
  public int epochs() {
    return trainLoss.size();
  }
}

package dev.rnnx.tf;

import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * What a training run produced.
 *
 * @param weights the trained parameters, in the canonical layout and in
 *     {@link dev.rnnx.spec.Sequential#parameters()} order
 * @param trainLoss the training loss of each epoch (mean over its minibatches, weighted by size)
 * @param validationLoss the validation loss after each epoch (NaN when the validation set is empty)
 */
public record TrainingResult(Weights weights, List<Double> trainLoss, List<Double> validationLoss) {

  /** Copies the lists and checks that they cover at least one epoch each. */
  public TrainingResult {
    if (weights == null) {
      throw new IllegalArgumentException("training result has no weights");
    }
    trainLoss = List.copyOf(trainLoss);
    validationLoss = List.copyOf(validationLoss);
    if (trainLoss.isEmpty() || trainLoss.size() != validationLoss.size()) {
      throw new IllegalArgumentException("training result needs one train and one validation loss per epoch, got "
          + trainLoss.size() + " and " + validationLoss.size());
    }
  }

  /** The training loss of the last epoch. */
  public double finalLoss() {
    return trainLoss.get(trainLoss.size() - 1);
  }

  /** The validation loss after the last epoch. */
  public double finalValidationLoss() {
    return validationLoss.get(validationLoss.size() - 1);
  }
}

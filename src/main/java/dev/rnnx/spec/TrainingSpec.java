package dev.rnnx.spec;

/**
 * How a recipe trains its model.
 *
 * @param loss the loss minimised
 * @param optimizer the optimiser
 * @param learningRate its learning rate
 * @param epochs passes over the training set
 * @param batchSize examples per step
 * @param clipping gradient clipping
 * @param accuracy whether to report accuracy (argmax match for softmax outputs, 0.5 threshold for
 *     sigmoid outputs; on sequences, over valid steps)
 */
public record TrainingSpec(
    Loss loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize, Clipping clipping, boolean accuracy) {

  /** Validates the settings. */
  public TrainingSpec {
    if (loss == null) {
      throw new IllegalArgumentException("training.loss is missing");
    }
    if (optimizer == null) {
      throw new IllegalArgumentException("training.optimizer is missing");
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("training.learning_rate is " + learningRate + ", expected a finite number > 0");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("training.epochs is " + epochs + ", expected a positive integer");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("training.batch_size is " + batchSize + ", expected a positive integer");
    }
    if (clipping == null) {
      throw new IllegalArgumentException("training.clipping is missing");
    }
  }

  /** Without clipping or metrics (the walking skeleton's constructor). */
  public TrainingSpec(Loss loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize) {
    this(loss, optimizer, learningRate, epochs, batchSize, Clipping.NONE, false);
  }
}

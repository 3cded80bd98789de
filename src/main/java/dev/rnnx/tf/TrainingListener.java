package dev.rnnx.tf;

import java.util.Map;

/**
 * Progress callbacks from {@link Trainer}, for a progress bar or a log. Called on the training
 * thread; implementations should return quickly. Epochs and steps count from 1.
 */
public interface TrainingListener {

  /** A listener that ignores every callback. */
  TrainingListener NONE = new TrainingListener() {
    @Override
    public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {}

    @Override
    public void onEpoch(int epoch, double trainLoss, double validationLoss) {}
  };

  /**
   * After each optimisation step.
   *
   * @param epoch the current epoch, from 1
   * @param step the step within the epoch, from 1
   * @param stepsPerEpoch the number of steps in every epoch
   * @param batchLoss the loss of this step's minibatch, computed before the update
   */
  void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss);

  /**
   * After each epoch (also after a partial last epoch when a stop condition ended training).
   *
   * @param epoch the finished epoch, from 1
   * @param trainLoss the mean of the epoch's minibatch losses, weighted by batch size
   * @param validationLoss the loss on the validation set after the epoch, or NaN when it is empty
   */
  void onEpoch(int epoch, double trainLoss, double validationLoss);

  /**
   * After {@link #onEpoch}, when the recipe asks for accuracy ({@code training.accuracy}).
   *
   * @param epoch the finished epoch, from 1
   * @param metrics {@code accuracy}, {@code exact_match} (over the epoch's minibatches, each judged
   *     before its update) and {@code val_accuracy}, {@code val_exact_match} (after the epoch)
   */
  default void onEpochMetrics(int epoch, Map<String, Double> metrics) {}

  /**
   * Last of an epoch's callbacks, after {@link #onEpoch} and {@link #onEpochMetrics}: a log can
   * write the epoch's line here, with every figure known.
   *
   * @param epoch the finished epoch, from 1
   * @param seconds the epoch's wall time, its validation included
   */
  default void onEpochEnd(int epoch, double seconds) {}

  /**
   * Every {@link TrainingOptions#evaluateEvery()} optimisation steps: the model evaluated on the
   * whole validation set (one session run per 1,024 examples).
   *
   * @param step the number of optimisation steps taken so far in the whole training, from 1
   * @param validationLoss the validation loss after that step
   * @param validationMetrics {@code accuracy} and {@code exact_match} on the validation set when
   *     the recipe asks for accuracy; empty otherwise
   */
  default void onEvaluation(int step, double validationLoss, Map<String, Double> validationMetrics) {}
}

package dev.rnnx.tf;

/**
 * Progress callbacks from {@link TfTrainer}, for a progress bar or a log. Called on the training
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
   * After each epoch.
   *
   * @param epoch the finished epoch, from 1
   * @param trainLoss the mean of the epoch's minibatch losses, weighted by batch size
   * @param validationLoss the loss on the validation set after the epoch, or NaN when it is empty
   */
  void onEpoch(int epoch, double trainLoss, double validationLoss);
}

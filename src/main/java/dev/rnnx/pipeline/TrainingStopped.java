package dev.rnnx.pipeline;

/**
 * Training ended early because the options asked it to (a simulated interruption): its last
 * checkpoint is on disk and nothing was exported. Resume the run to finish it.
 */
public final class TrainingStopped extends RuntimeException {

  private final int epochs;

  /** @param epochs the epochs completed */
  public TrainingStopped(int epochs) {
    super("training stopped after " + epochs + " epoch(s) as asked; its checkpoint is saved, resume to finish");
    this.epochs = epochs;
  }

  /** The epochs completed. */
  public int epochs() {
    return epochs;
  }
}

package dev.rnnx.spec;

/**
 * A one-feature noisy sine series cut into sliding windows; the target is the value that follows
 * each window (seed 000's SimpleRNN example).
 *
 * @param window time steps per example
 * @param samples number of windows generated
 * @param period time steps per sine cycle
 * @param noise standard deviation of the Gaussian noise added to every value
 * @param validationFraction fraction of the windows, taken from the end of the series, held out
 */
public record SineTask(int window, int samples, double period, double noise, double validationFraction)
    implements SequenceTask {

  /** Recipe task name. */
  public static final String TASK = "sine";

  /** Validates the settings. */
  public SineTask {
    if (window < 1) {
      throw new IllegalArgumentException("data.window is " + window + ", expected a positive integer");
    }
    if (samples < 2) {
      throw new IllegalArgumentException("data.samples is " + samples + ", expected at least 2");
    }
    if (!(period > 0)) {
      throw new IllegalArgumentException("data.period is " + period + ", expected a positive number");
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new IllegalArgumentException("data.noise is " + noise + ", expected a finite number >= 0");
    }
    checkFraction(validationFraction);
  }

  /** Checks a validation fraction. */
  static void checkFraction(double validationFraction) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("data.validation_fraction is " + validationFraction + ", expected a number in (0, 1)");
    }
  }

  @Override
  public int sequenceLength() {
    return window;
  }

  @Override
  public String task() {
    return TASK;
  }

  @Override
  public ModelInput modelInput() {
    return ModelInput.ofFeatures(1);
  }

  @Override
  public Shape targetShape() {
    return Shape.of(Shape.DYNAMIC, 1);
  }
}

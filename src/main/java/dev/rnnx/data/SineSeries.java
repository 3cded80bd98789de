package dev.rnnx.data;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.SineTask;
import java.util.Random;

/**
 * Seed 000's regression example: one long noisy sine series {@code sin(2π t / period + φ) + ε},
 * {@code ε ~ N(0, noise²)}, cut into sliding windows of {@code window} steps; each target is the
 * value right after its window. The validation set is the end of the series, so no validation
 * target is seen in training.
 */
public final class SineSeries {

  private SineSeries() {}

  /** Generates the task's examples, deterministically from {@code seed}. */
  public static Split generate(SineTask task, long seed) {
    Random random = new Random(seed);
    double phase = random.nextDouble() * 2 * Math.PI;
    int length = task.samples() + task.window();
    float[] series = new float[length];
    for (int t = 0; t < length; t++) {
      series[t] = (float) (Math.sin(2 * Math.PI * t / task.period() + phase) + task.noise() * random.nextGaussian());
    }
    int n = task.samples();
    float[] x = new float[n * task.window()];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(series, i, x, i * task.window(), task.window());
      y[i] = series[i + task.window()];
    }
    Dataset all = new Dataset(FloatTensor.of(x, n, task.window(), 1), FloatTensor.of(y, n, 1));
    int validation = Math.max(1, (int) Math.round(n * task.validationFraction()));
    // Skip one window between the sets so that no validation input overlaps a training target.
    int trainEnd = n - validation - task.window();
    if (trainEnd < 1) {
      throw new IllegalArgumentException("data.samples " + n + " is too small for window " + task.window()
          + " and validation_fraction " + task.validationFraction() + ": no training examples remain");
    }
    return new Split(all.slice(0, trainEnd), all.slice(n - validation, n));
  }
}

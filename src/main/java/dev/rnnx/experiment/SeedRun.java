package dev.rnnx.experiment;

import java.util.List;

/**
 * One training run of one variant with one seed.
 *
 * @param seed the recipe seed
 * @param stepsToSolve the first evaluated step at which the held-out set was 100 % exact, or
 *     {@code -1} when it never was
 * @param finalLoss the held-out loss at the last evaluation
 * @param finalExactMatch the held-out exact-match rate at the last evaluation
 * @param steps the evaluated steps, in order
 * @param losses the held-out loss at each evaluated step
 * @param seconds wall time of the run
 */
public record SeedRun(int seed, int stepsToSolve, double finalLoss, double finalExactMatch, List<Integer> steps,
    List<Double> losses, double seconds) {

  /** Whether the held-out set was ever solved. */
  public boolean converged() {
    return stepsToSolve >= 0;
  }
}

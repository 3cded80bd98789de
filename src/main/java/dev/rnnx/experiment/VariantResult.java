package dev.rnnx.experiment;

import java.util.List;
import java.util.Locale;

/**
 * All seeds of one variant.
 *
 * @param variant the variant
 * @param runs one per seed
 */
public record VariantResult(Variant variant, List<SeedRun> runs) {

  /** How many seeds solved the held-out set. */
  public long converged() {
    return runs.stream().filter(SeedRun::converged).count();
  }

  /** The median steps to solve over the seeds that converged, or -1. */
  public double medianSteps() {
    List<Integer> s = runs.stream().filter(SeedRun::converged).map(SeedRun::stepsToSolve).sorted().toList();
    if (s.isEmpty()) {
      return -1;
    }
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
  }

  /** The mean final held-out loss over the seeds. */
  public double meanFinalLoss() {
    return runs.stream().mapToDouble(SeedRun::finalLoss).average().orElse(Double.NaN);
  }

  /** Steps to solve per seed, {@code —} where a seed did not converge. */
  public String perSeed() {
    return String.join(", ", runs.stream().map(r -> r.converged() ? Integer.toString(r.stepsToSolve()) : "—").toList());
  }

  /** The median as text: steps, or "did not converge". */
  public String medianText() {
    double m = medianSteps();
    return m < 0 ? "did not converge" : String.format(Locale.ROOT, "%,.0f", m);
  }
}

package dev.rnnx.experiment;

import java.util.List;
import java.util.Locale;

/**
 * All seeds of one variant.
 *
 * @param variant the variant
 * @param runs rnnx's TensorFlow runs, one per seed
 * @param seedCode the seeds' NumPy algorithm replayed as written, one per seed ({@link SeedCodeReplica})
 * @param trueGradient the same replay with the true output-layer gradient, one per seed
 */
public record VariantResult(Variant variant, List<SeedRun> runs, List<SeedRun> seedCode, List<SeedRun> trueGradient) {

  /** How many of rnnx's seeds solved the held-out set. */
  public long converged() {
    return converged(runs);
  }

  /** How many runs solved the held-out set. */
  public static long converged(List<SeedRun> runs) {
    return runs.stream().filter(SeedRun::converged).count();
  }

  /** The median steps to solve over rnnx's seeds that converged, or -1. */
  public double medianSteps() {
    return medianSteps(runs);
  }

  /** The median steps to solve over the runs that converged, or -1. */
  public static double medianSteps(List<SeedRun> runs) {
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

  /** The median and the solved count as text, e.g. {@code 6,400 (4/5)} or {@code did not converge (0/5)}. */
  public static String summary(List<SeedRun> runs) {
    double m = medianSteps(runs);
    return (m < 0 ? "did not converge" : String.format(Locale.ROOT, "%,.0f", m))
        + " (" + converged(runs) + "/" + runs.size() + ")";
  }
}

package dev.rnnx.verify;

import dev.rnnx.spec.Tolerances;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything a parity run found: each comparison, the per-pair summaries, the failures of
 * backends that could not run, and the time each backend took.
 *
 * @param tolerances the tolerances applied
 * @param comparisons one per case, candidate and output
 * @param backendErrors messages of backends that failed outright, by backend name
 * @param backendSeconds wall time spent in each backend's {@code run}
 */
public record ParityResult(
    Tolerances tolerances,
    List<ElementwiseComparison> comparisons,
    Map<String, String> backendErrors,
    Map<String, Double> backendSeconds) {

  /** Whether every comparison passed and every backend ran. */
  public boolean passed() {
    return backendErrors.isEmpty() && !comparisons.isEmpty() && comparisons.stream().allMatch(ElementwiseComparison::passed);
  }

  /** The comparisons folded per (reference, candidate, output), in first-seen order. */
  public List<PairSummary> summaries() {
    Map<String, List<ElementwiseComparison>> groups = new LinkedHashMap<>();
    for (ElementwiseComparison c : comparisons) {
      groups.computeIfAbsent(c.reference() + "\u0000" + c.candidate() + "\u0000" + c.output(), k -> new ArrayList<>()).add(c);
    }
    List<PairSummary> out = new ArrayList<>();
    for (List<ElementwiseComparison> g : groups.values()) {
      ElementwiseComparison first = g.get(0);
      out.add(new PairSummary(first.reference(), first.candidate(), first.output(),
          g.stream().mapToDouble(ElementwiseComparison::maxAbsErr).max().orElse(0),
          g.stream().mapToDouble(ElementwiseComparison::maxRelErr).max().orElse(0),
          (int) g.stream().filter(ElementwiseComparison::passed).count(), g.size()));
    }
    return out;
  }

  /** The largest absolute error of any comparison. */
  public double worstAbsErr() {
    return comparisons.stream().mapToDouble(ElementwiseComparison::maxAbsErr).max().orElse(0);
  }

  /** A console table of the summaries, then any backend failures and failing cases. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-10s %-10s %-10s %12s %12s %7s  %s%n",
        "reference", "candidate", "output", "max_abs_err", "max_rel_err", "cases", "result"));
    for (PairSummary s : summaries()) {
      sb.append(String.format(Locale.ROOT, "%-10s %-10s %-10s %12.3e %12.3e %7s  %s%n",
          s.reference(), s.candidate(), s.output(), s.maxAbsErr(), s.maxRelErr(),
          s.casesPassed() + "/" + s.cases(), s.passed() ? "pass" : "FAIL"));
    }
    backendErrors.forEach((b, msg) -> sb.append("backend ").append(b).append(" failed: ").append(msg).append('\n'));
    for (ElementwiseComparison c : comparisons) {
      if (!c.passed()) {
        sb.append(String.format(Locale.ROOT, "  %s %s vs %s output %s: %d of %d elements beyond atol %.1e and rtol %.1e%s%n",
            c.caseName(), c.candidate(), c.reference(), c.output(), c.failing(), c.elements(),
            tolerances.atol(), tolerances.rtol(), c.problem() == null ? "" : " (" + c.problem() + ")"));
      }
    }
    sb.append(String.format(Locale.ROOT, "parity %s (atol %.1e, rtol %.1e, Polygraphy elementwise rule)%n",
        passed() ? "holds" : "FAILS", tolerances.atol(), tolerances.rtol()));
    return sb.toString();
  }
}

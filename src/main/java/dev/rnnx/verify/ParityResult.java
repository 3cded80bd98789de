package dev.rnnx.verify;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tolerances;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything a parity run found: each comparison, the per-pair summaries, the failures of
 * backends that could not run, the time each backend took, every NaN or infinity any backend
 * produced, and where failing candidates first diverge.
 *
 * @param tolerances the default tolerances applied
 * @param comparisons one per case, candidate and output
 * @param backendErrors messages of backends that failed outright, by backend name
 * @param backendSeconds wall time spent in each backend's {@code run}
 * @param nonFinite the first NaN or infinity of every output of every backend and case
 * @param criteria the criterion of every output
 * @param divergences where each failing candidate first departs from the reference, when localised
 * @param unrunCases the cases the reference cannot run (an operator or form it does not support),
 *     each with why: no candidate was judged on them
 */
public record ParityResult(
    Tolerances tolerances,
    List<ElementwiseComparison> comparisons,
    Map<String, String> backendErrors,
    Map<String, Double> backendSeconds,
    List<NonFiniteValue> nonFinite,
    ParityCriteria criteria,
    List<Divergence> divergences,
    Map<String, String> unrunCases) {

  /** Copies the collections. */
  public ParityResult {
    comparisons = List.copyOf(comparisons);
    backendErrors = Collections.unmodifiableMap(new LinkedHashMap<>(backendErrors));
    backendSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(backendSeconds));
    nonFinite = List.copyOf(nonFinite);
    divergences = List.copyOf(divergences);
    unrunCases = Collections.unmodifiableMap(new LinkedHashMap<>(unrunCases));
  }

  /** A result whose reference ran every case. */
  public ParityResult(Tolerances tolerances, List<ElementwiseComparison> comparisons, Map<String, String> backendErrors,
      Map<String, Double> backendSeconds, List<NonFiniteValue> nonFinite, ParityCriteria criteria,
      List<Divergence> divergences) {
    this(tolerances, comparisons, backendErrors, backendSeconds, nonFinite, criteria, divergences, Map.of());
  }

  /** A result without non-finite values or localisation, under one elementwise criterion. */
  public ParityResult(Tolerances tolerances, List<ElementwiseComparison> comparisons, Map<String, String> backendErrors,
      Map<String, Double> backendSeconds) {
    this(tolerances, comparisons, backendErrors, backendSeconds, List.of(), ParityCriteria.of(tolerances), List.of());
  }

  /** The same result with localised divergences. */
  public ParityResult withDivergences(List<Divergence> found) {
    return new ParityResult(tolerances, comparisons, backendErrors, backendSeconds, nonFinite, criteria, found, unrunCases);
  }

  /** The same result with these backend failures instead (no divergences). */
  public ParityResult withBackendErrors(Map<String, String> errors) {
    return new ParityResult(tolerances, comparisons, errors, backendSeconds, nonFinite, criteria, List.of(), unrunCases);
  }

  /** Whether every comparison passed and every backend ran. */
  public boolean passed() {
    return backendErrors.isEmpty() && !comparisons.isEmpty() && comparisons.stream().allMatch(ElementwiseComparison::passed);
  }

  /**
   * The verdict: {@link Verdict#FAILED} unless {@link #passed()}; else {@link Verdict#UNVERIFIED}
   * when some case and output was judged only by consistency checks ({@link #unjudged}); else
   * {@link Verdict#PASSED}.
   */
  public Verdict verdict() {
    boolean nothing = comparisons.isEmpty() && unrunCases.isEmpty();
    if (!backendErrors.isEmpty() || nothing || !comparisons.stream().allMatch(ElementwiseComparison::passed)) {
      return Verdict.FAILED;
    }
    return unjudged(ModelForm.MODEL, null).isEmpty() ? Verdict.PASSED : Verdict.UNVERIFIED;
  }

  /** Whether a comparison is a consistency check: its candidate runs on the reference's own engine. */
  public static boolean isConsistencyCheck(ElementwiseComparison c) {
    return !BackendKind.independent(c.reference(), c.candidate());
  }

  /** The candidates compared only as consistency checks (on the reference's engine), in first-seen order. */
  public List<String> consistencyCandidates() {
    return comparisons.stream().filter(ParityResult::isConsistencyCheck).map(ElementwiseComparison::candidate).distinct()
        .toList();
  }

  /**
   * Every (case, output) that no candidate on another engine than the reference's judged, each
   * with its reason: first the cases the reference cannot run, then those judged only by
   * consistency checks.
   *
   * @param form the form, for the entries
   * @param gap why the independent reference is missing (e.g. the operator the pure-Java evaluator
   *     lacks), or {@code null}
   */
  public List<Unjudged> unjudged(String form, String gap) {
    Map<String, List<ElementwiseComparison>> groups = new LinkedHashMap<>();
    for (ElementwiseComparison c : comparisons) {
      groups.computeIfAbsent(c.caseName() + "\u0000" + c.output(), k -> new ArrayList<>()).add(c);
    }
    List<Unjudged> out = new ArrayList<>();
    unrunCases.forEach((c, why) -> out.add(new Unjudged(form, c, "every output", why)));
    for (List<ElementwiseComparison> g : groups.values()) {
      if (g.stream().allMatch(ParityResult::isConsistencyCheck)) {
        ElementwiseComparison first = g.get(0);
        BackendKind k = BackendKind.find(first.reference());
        out.add(new Unjudged(form, first.caseName(), first.output(), "only consistency checks: "
            + String.join(", ", g.stream().map(ElementwiseComparison::candidate).distinct().toList()) + " against "
            + first.reference() + (k == null ? "" : ", all on " + k.engine()) + "; no independent reference"
            + (gap == null ? "" : " (" + gap + ")")));
      }
    }
    return out;
  }

  /** The candidates that failed a comparison, in first-seen order. */
  public List<String> failingCandidates() {
    return comparisons.stream().filter(c -> !c.passed()).map(ElementwiseComparison::candidate).distinct().toList();
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
          (int) g.stream().filter(ElementwiseComparison::passed).count(), g.size(),
          worst(g, ErrorStats::meanAbs), worst(g, ErrorStats::medianAbs), worst(g, ErrorStats::quantileAbs),
          g.stream().mapToLong(c -> c.stats() == null ? Long.MAX_VALUE : c.stats().maxUlp()).max().orElse(0),
          least(g, ErrorStats::cosine),
          worst(g, ErrorStats::requiredAtol), worst(g, ErrorStats::requiredRtol),
          worst(g, ErrorStats::requiredAtolAtRtol), worst(g, ErrorStats::requiredRtolAtAtol),
          least(g, ErrorStats::argmaxAgreement), least(g, ErrorStats::topKAgreement),
          least(g, ErrorStats::sequenceAgreement), first.criterion()));
    }
    return out;
  }

  /** The largest value over cases; infinite when a case has no statistics (shape mismatch); NaN if any is. */
  private static double worst(List<ElementwiseComparison> g, ToDoubleFunction<ErrorStats> f) {
    double w = 0;
    for (ElementwiseComparison c : g) {
      double v = c.stats() == null ? Double.POSITIVE_INFINITY : f.applyAsDouble(c.stats());
      w = Double.isNaN(v) || Double.isNaN(w) ? Double.NaN : Math.max(w, v);
    }
    return w;
  }

  /** The smallest value over cases that computed it (NaN when none did; 0 for a shape mismatch). */
  private static double least(List<ElementwiseComparison> g, ToDoubleFunction<ErrorStats> f) {
    double w = Double.NaN;
    for (ElementwiseComparison c : g) {
      double v = c.stats() == null ? 0 : f.applyAsDouble(c.stats());
      if (!Double.isNaN(v)) {
        w = Double.isNaN(w) ? v : Math.min(w, v);
      }
    }
    return w;
  }

  /** The largest absolute error of any comparison. */
  public double worstAbsErr() {
    return comparisons.stream().mapToDouble(ElementwiseComparison::maxAbsErr).max().orElse(0);
  }

  /** The console table that fits 100 columns: {@link #table(boolean) table(false)}. */
  public String table() {
    return table(false);
  }

  /**
   * A console table of the summaries, then backend failures, non-finite values, failing cases and
   * where each failing candidate first diverges. The narrow table (within 100 columns for backend
   * names up to 16 characters) shows reference, candidate, output, max abs and max rel error, the
   * criterion's quantile, cases passed and the result; the wide one adds Polygraphy's mean, ulps,
   * cosine similarity, the tolerances that would have passed and classifier agreement.
   *
   * @param wide every column ({@code --wide})
   */
  public String table(boolean wide) {
    StringBuilder sb = new StringBuilder();
    int w = Math.max(9, summaries().stream().mapToInt(s -> Math.max(s.candidate().length(), s.reference().length())).max()
        .orElse(9));
    int wo = Math.max(6, summaries().stream().mapToInt(s -> s.output().length()).max().orElse(6));
    String names = "%-" + w + "s %-" + w + "s %-" + wo + "s";
    if (wide) {
      sb.append(String.format(Locale.ROOT, names + " %10s %10s %10s %10s %7s %9s %10s %10s %6s %7s  %s%n", "reference",
          "candidate", "output", "max_abs", "max_rel", "mean_abs", "p" + percentile(), "max_ulp", "cosine", "req_atol",
          "req_rtol", "argmax", "cases", "result"));
    } else {
      sb.append(String.format(Locale.ROOT, names + " %9s %9s %9s %7s  %s%n", "reference", "candidate", "output", "max_abs",
          "max_rel", "p" + percentile(), "cases", "result"));
    }
    for (PairSummary s : summaries()) {
      String cases = s.casesPassed() + "/" + s.cases();
      String result = !s.passed() ? "FAIL" : BackendKind.independent(s.reference(), s.candidate()) ? "pass" : "consistent";
      if (wide) {
        sb.append(String.format(Locale.ROOT, names + " %10.3e %10.3e %10.3e %10.3e %7s %9.6f %10.3e %10.3e %6s %7s  %s%n",
            s.reference(), s.candidate(), s.output(), s.maxAbsErr(), s.maxRelErr(), s.meanAbsErr(), s.quantileAbsErr(),
            s.maxUlp() == Long.MAX_VALUE ? "-" : String.valueOf(s.maxUlp()), s.minCosine(), s.requiredAtolAtRtol(),
            s.requiredRtolAtAtol(), Double.isNaN(s.argmaxAgreement()) ? "-" : String.format(Locale.ROOT, "%.3f",
                s.argmaxAgreement()), cases, result));
      } else {
        sb.append(String.format(Locale.ROOT, names + " %9.2e %9.2e %9.2e %7s  %s%n", s.reference(), s.candidate(),
            s.output(), s.maxAbsErr(), s.maxRelErr(), s.quantileAbsErr(), cases, result));
      }
    }
    backendErrors.forEach((b, msg) -> sb.append("backend ").append(b).append(" failed: ").append(msg).append('\n'));
    for (NonFiniteValue v : nonFinite) {
      sb.append("non-finite: ").append(v.describe()).append('\n');
    }
    // one line per failing (case, output), naming together the candidates that fail it identically
    Map<String, List<String>> failing = new LinkedHashMap<>();
    for (ElementwiseComparison c : comparisons) {
      if (!c.passed()) {
        Criterion k = c.criterion();
        // the tolerances are on the verdict line below; the reference is the table's
        String rest = String.format(Locale.ROOT, ": output '%s', %d of %d elements beyond tolerance, max abs err %.2e%s",
            c.output(), c.failing(), c.elements(), c.maxAbsErr(),
            (k.stat() != ErrorStat.ELEMWISE ? " (checked: " + k.stat().cliName() + " error)" : "")
                + (c.problem() == null ? "" : " (" + c.problem() + ")"));
        failing.computeIfAbsent(c.caseName() + "\u0000" + rest, x -> new ArrayList<>()).add(c.candidate());
      }
    }
    int shown = 0;
    for (Map.Entry<String, List<String>> e : failing.entrySet()) {
      if (shown++ == 12) {
        break;
      }
      String[] caseAndRest = e.getKey().split("\u0000", 2);
      sb.append("  ").append(caseAndRest[0]).append(' ').append(String.join(", ", e.getValue())).append(caseAndRest[1])
          .append('\n');
    }
    if (failing.size() > 12) {
      sb.append("  … and ").append(failing.size() - 12).append(" more failing comparisons (report.json has them all)\n");
    }
    for (Divergence d : divergences) {
      sb.append("first divergence: ").append(d.message()).append('\n');
    }
    List<String> consistency = consistencyCandidates();
    if (!consistency.isEmpty()) {
      String ref = comparisons.get(0).reference();
      BackendKind rk = BackendKind.find(ref);
      sb.append("consistency checks, not parity (the same engine as the reference ").append(ref)
          .append(rk == null ? "" : ", " + rk.engine()).append("): ").append(String.join(", ", consistency)).append('\n');
    }
    Criterion k = criteria.defaults();
    sb.append(String.format(Locale.ROOT, "%s (%s%s)%n", verdict().headline(), k.describe(),
        criteria.perOutput().isEmpty() ? ", Polygraphy's rule" : "; per output: " + describePerOutput()));
    if (wide) {
      sb.append("req_atol/req_rtol: the smallest tolerance that passes with the other as set\n");
    }
    return sb.toString();
  }

  private String percentile() {
    double q = criteria.defaults().quantile() * 100;
    return q == Math.rint(q) ? String.valueOf((int) q) : String.valueOf(q);
  }

  private String describePerOutput() {
    List<String> parts = new ArrayList<>();
    criteria.perOutput().forEach((o, c) -> parts.add(o + ": " + c.describe()));
    return String.join("; ", parts);
  }
}

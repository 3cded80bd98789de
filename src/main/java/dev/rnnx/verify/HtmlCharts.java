package dev.rnnx.verify;

import static dev.rnnx.verify.HtmlReport.esc;

import dev.rnnx.spec.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error charts of one form in {@code report.html}: per output, one chart set (histogram of
 * absolute errors, largest error against sequence length, error per time step of the longest case)
 * for each group of candidates whose comparisons are identical, failing groups first. Each chart
 * draws the output's tolerances: {@code atol}, and with a non-zero {@code rtol} the dashed
 * {@code rtol·max|ref|}, the loosest bound the elementwise rule can grant.
 */
final class HtmlCharts {

  /**
   * Candidates whose comparisons of one output are identical case by case.
   *
   * @param candidates the backends, in first-seen order
   * @param output the output
   * @param comparisons the first candidate's comparisons, in case order
   */
  record ChartGroup(List<String> candidates, String output, List<ElementwiseComparison> comparisons) {

    boolean passed() {
      return comparisons.stream().allMatch(ElementwiseComparison::passed);
    }
  }

  private HtmlCharts() {}

  /** The groups of one parity result: per output, candidates with identical comparisons together; failing first. */
  static List<ChartGroup> groups(ParityResult p) {
    Map<String, Map<String, List<ElementwiseComparison>>> perOutput = new LinkedHashMap<>();
    for (ElementwiseComparison e : p.comparisons()) {
      perOutput.computeIfAbsent(e.output(), k -> new LinkedHashMap<>()).computeIfAbsent(e.candidate(), k -> new ArrayList<>())
          .add(e);
    }
    List<ChartGroup> all = new ArrayList<>();
    perOutput.forEach((output, byCandidate) -> {
      Map<String, List<String>> members = new LinkedHashMap<>();
      Map<String, List<ElementwiseComparison>> first = new LinkedHashMap<>();
      byCandidate.forEach((candidate, cs) -> {
        String key = fingerprint(cs);
        members.computeIfAbsent(key, k -> new ArrayList<>()).add(candidate);
        first.putIfAbsent(key, cs);
      });
      members.forEach((key, names) -> all.add(new ChartGroup(names, output, first.get(key))));
    });
    List<ChartGroup> ordered = new ArrayList<>(all.stream().filter(g -> !g.passed()).toList());
    ordered.addAll(all.stream().filter(ChartGroup::passed).toList());
    return ordered;
  }

  /** Everything a chart or table shows of the comparisons, bit for bit. */
  private static String fingerprint(List<ElementwiseComparison> cs) {
    StringBuilder sb = new StringBuilder();
    for (ElementwiseComparison e : cs) {
      sb.append(e.caseName()).append('|').append(Double.doubleToLongBits(e.maxAbsErr())).append('|')
          .append(Double.doubleToLongBits(e.maxRelErr())).append('|').append(e.failing()).append('|').append(e.elements())
          .append('|').append(e.problem()).append('|').append(e.passed()).append('|');
      if (e.stats() != null) {
        sb.append(Arrays.toString(e.stats().histogram())).append(Arrays.toString(e.stats().perStep()))
            .append(Double.doubleToLongBits(e.stats().meanAbs())).append(e.stats().maxUlp());
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The chart sets of one form: failing groups under their heading, then passing ones. */
  static void render(StringBuilder sb, FormReport r) {
    List<ChartGroup> groups = groups(r.parity());
    if (groups.isEmpty()) {
      return;
    }
    Map<String, Integer> lengths = new LinkedHashMap<>();
    r.cases().forEach(c -> lengths.put(c.name(), VerifyReports.sequenceLength(c)));
    boolean failingHeading = false;
    boolean passingHeading = false;
    for (ChartGroup g : groups) {
      if (!g.passed() && !failingHeading) {
        sb.append("<h2>Errors of the failing backends</h2>\n");
        failingHeading = true;
      } else if (g.passed() && !passingHeading) {
        sb.append("<h2>Errors of the passing backends</h2>\n");
        passingHeading = true;
      }
      String label = !g.passed() ? "FAIL" : g.comparisons().stream().allMatch(ParityResult::isConsistencyCheck) ? "consistent" : "pass";
      sb.append("<h3 class=\"chartset ").append(g.passed() ? "pass" : "fail").append("\">").append(label)
          .append(" · <span class=group>").append(esc(String.join(", ", g.candidates()))).append("</span> · output <code>")
          .append(esc(g.output())).append("</code>").append(g.candidates().size() > 1 ? " <small>(identical errors, one chart set)</small>" : "")
          .append("</h3>\n<div class=charts>");
      chartSet(sb, g, r, lengths);
      sb.append("</div>\n");
    }
  }

  private static void chartSet(StringBuilder sb, ChartGroup g, FormReport r, Map<String, Integer> lengths) {
    Criterion k = g.comparisons().get(0).criterion();
    long[] hist = new long[ErrorStats.HISTOGRAM_BINS.length];
    for (ElementwiseComparison e : g.comparisons()) {
      if (e.stats() != null) {
        long[] h = e.stats().histogram();
        for (int i = 0; i < h.length; i++) {
          hist[i] += h[i];
        }
      }
    }
    List<String> caseNames = g.comparisons().stream().map(ElementwiseComparison::caseName).toList();
    sb.append("<figure>").append(SvgChart.histogram(hist, tolerances(k, maxAbsReference(r, g.output(), caseNames))))
        .append("<figcaption>Absolute errors of every element, all cases; red bins (≥1, NaN) are gross.</figcaption></figure>");
    List<double[]> points = new ArrayList<>();
    for (ElementwiseComparison e : g.comparisons()) {
      int len = lengths.getOrDefault(e.caseName(), -1);
      if (len > 0) {
        points.add(new double[] {len, e.maxAbsErr()});
      }
    }
    if (!points.isEmpty()) {
      sb.append("<figure>").append(SvgChart.scatter(points, "sequence length", "max abs err",
          tolerances(k, maxAbsReference(r, g.output(), caseNames)))).append("<figcaption>Largest error of each case against its")
          .append(" sequence length; red: above every tolerance.</figcaption></figure>");
    }
    ElementwiseComparison longest = null;
    for (ElementwiseComparison e : g.comparisons()) {
      if (e.stats() != null && e.stats().perStep().length > 1
          && (longest == null || e.stats().perStep().length > longest.stats().perStep().length)) {
        longest = e;
      }
    }
    if (longest != null) {
      sb.append("<figure>").append(SvgChart.line(longest.stats().perStep(), longest.caseName(), "time step", "max abs err",
          tolerances(k, maxAbsReference(r, g.output(), List.of(longest.caseName()))))).append("<figcaption>Error at each")
          .append(" time step of ").append(esc(longest.caseName())).append(".</figcaption></figure>");
    }
  }

  /** {@code atol}, and {@code rtol·max|ref|} when both factors are positive. */
  static List<SvgChart.Tolerance> tolerances(Criterion k, double maxAbsRef) {
    List<SvgChart.Tolerance> t = new ArrayList<>();
    t.add(new SvgChart.Tolerance("atol", k.atol(), false));
    if (k.rtol() > 0 && maxAbsRef > 0 && Double.isFinite(maxAbsRef)) {
      t.add(new SvgChart.Tolerance("rtol·max|ref|", k.rtol() * maxAbsRef, true));
    }
    return t;
  }

  /** The largest finite |value| of one output of the reference over the named cases (0 when unknown). */
  static double maxAbsReference(FormReport r, String output, List<String> caseNames) {
    double max = 0;
    for (String c : caseNames) {
      FloatTensor t = r.referenceOutputs().getOrDefault(c, Map.of()).get(output);
      if (t != null) {
        for (float v : t.data()) {
          if (Float.isFinite(v)) {
            max = Math.max(max, Math.abs(v));
          }
        }
      }
    }
    return max;
  }
}

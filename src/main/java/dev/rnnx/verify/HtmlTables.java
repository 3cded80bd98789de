package dev.rnnx.verify;

import static dev.rnnx.verify.HtmlReport.esc;
import static dev.rnnx.verify.HtmlReport.num;

import java.util.List;
import java.util.Locale;

/**
 * The tables of one form in {@code report.html}: the summary (the columns a reviewer reads, then
 * every statistic in a collapsed table), the lightweight variants, backend failures, non-finite
 * values, every comparison (collapsed) and the time in each backend. Numbers never wrap; wide
 * tables scroll sideways inside their box.
 */
final class HtmlTables {

  private HtmlTables() {}

  /** The summary: errors, cosine, the atol that passes, cases; all statistics collapsed below. */
  static void summary(StringBuilder sb, ParityResult p) {
    sb.append("<h2>Summary</h2>\n<div class=scroll><table class=summary><tr><th class=l>candidate</th><th class=l>output</th>")
        .append("<th>max abs</th><th>max rel</th><th>mean abs</th><th>p").append(pct(p.criteria().defaults().quantile()))
        .append(" abs</th><th>max ulp</th><th>min cosine</th><th title=\"the smallest atol that passes with rtol as set\">")
        .append("atol it needs</th><th>cases</th><th class=l>result</th></tr>\n");
    for (PairSummary s : p.summaries()) {
      sb.append("<tr class=").append(s.passed() ? "rowpass" : "rowfail").append("><td class=l><b>").append(esc(s.candidate()))
          .append("</b></td><td class=l>").append(esc(s.output())).append("</td>");
      cells(sb, s.maxAbsErr(), s.maxRelErr(), s.meanAbsErr(), s.quantileAbsErr());
      sb.append("<td>").append(ulp(s)).append("</td><td>").append(String.format(Locale.ROOT, "%.6f", s.minCosine()))
          .append("</td>");
      cells(sb, s.requiredAtolAtRtol());
      sb.append("<td>").append(s.casesPassed()).append('/').append(s.cases()).append("</td>").append(result(s.passed(),
              p.consistencyCandidates().contains(s.candidate()))).append("</tr>\n");
    }
    sb.append("</table></div>\n<details><summary>Every statistic (reference, median, tolerances alone, agreement)</summary>\n")
        .append("<div class=scroll><table><tr><th class=l>reference</th><th class=l>candidate</th><th class=l>output</th>")
        .append("<th>max abs</th><th>max rel</th><th>mean abs</th><th>median abs</th><th>p")
        .append(pct(p.criteria().defaults().quantile())).append(" abs</th><th>max ulp</th><th>min cosine</th>")
        .append("<th>req. atol<br>(rtol as set)</th><th>req. rtol<br>(atol as set)</th><th>req. atol<br>alone</th>")
        .append("<th>req. rtol<br>alone</th><th>argmax<br>agree</th><th>top-k<br>agree</th><th>sequence<br>agree</th>")
        .append("<th>cases</th><th class=l>result</th></tr>\n");
    for (PairSummary s : p.summaries()) {
      sb.append("<tr><td class=l>").append(esc(s.reference())).append("</td><td class=l>").append(esc(s.candidate()))
          .append("</td><td class=l>").append(esc(s.output())).append("</td>");
      cells(sb, s.maxAbsErr(), s.maxRelErr(), s.meanAbsErr(), s.medianAbsErr(), s.quantileAbsErr());
      sb.append("<td>").append(ulp(s)).append("</td><td>").append(String.format(Locale.ROOT, "%.6f", s.minCosine()))
          .append("</td>");
      cells(sb, s.requiredAtolAtRtol(), s.requiredRtolAtAtol(), s.requiredAtol(), s.requiredRtol());
      for (double v : new double[] {s.argmaxAgreement(), s.topKAgreement(), s.sequenceAgreement()}) {
        sb.append("<td>").append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v)).append("</td>");
      }
      sb.append("<td>").append(s.casesPassed()).append('/').append(s.cases()).append("</td>").append(result(s.passed(),
              p.consistencyCandidates().contains(s.candidate()))).append("</tr>\n");
    }
    sb.append("</table></div></details>\n");
  }

  /** The lightweight variants: size, speed and worst error, then per output. */
  static void variants(StringBuilder sb, List<VariantResult> variants) {
    if (variants.isEmpty()) {
      return;
    }
    sb.append("<h2>Lightweight variants against the float32 reference</h2>\n<div class=scroll><table><tr>")
        .append("<th class=l>variant</th><th class=l>file</th><th class=l>budget</th><th>worst abs err</th><th>bytes</th>")
        .append("<th>of fp32</th><th>ms per pass</th><th>fp32 ms</th><th>speed-up</th><th class=l>result</th></tr>\n");
    for (VariantResult v : variants) {
      sb.append("<tr><td class=l>").append(esc(v.variant().id())).append("</td><td class=l>")
          .append(esc(v.file().getFileName().toString())).append("</td><td class=l>").append(esc(v.budget().describe()))
          .append("</td><td>").append(num(v.parity().worstAbsErr())).append("</td><td>").append(v.bytes())
          .append("</td><td>").append(String.format(Locale.ROOT, "%.2f", v.sizeRatio())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", v.millis())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f", v.fp32Millis())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2fx", v.speedup())).append("</td>").append(result(v.passed())).append("</tr>\n");
    }
    sb.append("</table></div>\n<p>Per output (required tolerances are the smallest that pass):</p>\n<div class=scroll><table>")
        .append("<tr><th class=l>candidate</th><th class=l>output</th><th>max abs</th><th>max rel</th>")
        .append("<th>req. atol (rtol as set)</th><th>argmax agree</th><th>cases</th><th class=l>result</th></tr>\n");
    for (VariantResult v : variants) {
      for (PairSummary s : v.parity().summaries()) {
        sb.append("<tr><td class=l>").append(esc(s.candidate())).append("</td><td class=l>").append(esc(s.output()))
            .append("</td>");
        cells(sb, s.maxAbsErr(), s.maxRelErr(), s.requiredAtolAtRtol());
        sb.append("<td>").append(Double.isNaN(s.argmaxAgreement()) ? "-" : String.format(Locale.ROOT, "%.3f",
            s.argmaxAgreement())).append("</td><td>").append(s.casesPassed()).append('/').append(s.cases()).append("</td>")
            .append(result(s.passed())).append("</tr>\n");
      }
    }
    sb.append("</table></div>\n");
  }

  /** Backends that did not run and the first NaN or infinity of each output. */
  static void problems(StringBuilder sb, ParityResult p) {
    if (!p.backendErrors().isEmpty()) {
      sb.append("<h2>Backend failures</h2>\n<ul>");
      p.backendErrors().forEach((b, m) -> sb.append("<li><b>").append(esc(b)).append("</b>: ").append(esc(m)).append("</li>"));
      sb.append("</ul>\n");
    }
    if (!p.nonFinite().isEmpty()) {
      sb.append("<h2>NaN and infinity</h2>\n<ul>");
      p.nonFinite().forEach(v -> sb.append("<li>").append(esc(v.describe())).append("</li>"));
      sb.append("</ul>\n");
    }
  }

  /** Every comparison (collapsed, failing ones first) and the seconds spent in each backend. */
  static void comparisons(StringBuilder sb, ParityResult p) {
    List<ElementwiseComparison> ordered = new java.util.ArrayList<>(p.comparisons().stream().filter(e -> !e.passed()).toList());
    ordered.addAll(p.comparisons().stream().filter(ElementwiseComparison::passed).toList());
    sb.append("<h2>Every comparison</h2>\n<details><summary>").append(p.comparisons().size()).append(" comparisons, ")
        .append(ordered.stream().filter(e -> !e.passed()).count()).append(" failing (listed first)</summary>\n<div class=scroll>")
        .append("<table><tr><th class=l>case</th><th class=l>candidate</th><th class=l>output</th>")
        .append("<th>max abs</th><th>max rel</th><th>failing</th><th>elements</th><th class=l>problem</th>")
        .append("<th class=l>result</th></tr>\n");
    for (ElementwiseComparison e : ordered) {
      sb.append("<tr><td class=l>").append(esc(e.caseName())).append("</td><td class=l>").append(esc(e.candidate()))
          .append("</td><td class=l>").append(esc(e.output())).append("</td>");
      cells(sb, e.maxAbsErr(), e.maxRelErr());
      sb.append("<td>").append(e.failing()).append("</td><td>").append(e.elements()).append("</td><td class=\"l wrap\">")
          .append(e.problem() == null ? "" : esc(e.problem())).append("</td>")
          .append(result(e.passed(), ParityResult.isConsistencyCheck(e))).append("</tr>\n");
    }
    sb.append("</table></div></details>\n");
    sb.append("<h2>Backends</h2>\n<table><tr><th class=l>backend</th><th>seconds in run</th></tr>");
    p.backendSeconds().forEach((b, s) -> sb.append("<tr><td class=l>").append(esc(b)).append("</td><td>")
        .append(String.format(Locale.ROOT, "%.3f", s)).append("</td></tr>"));
    sb.append("</table>\n");
  }

  private static void cells(StringBuilder sb, double... values) {
    for (double v : values) {
      sb.append("<td>").append(num(v)).append("</td>");
    }
  }

  private static String ulp(PairSummary s) {
    return s.maxUlp() == Long.MAX_VALUE ? "-" : String.valueOf(s.maxUlp());
  }

  private static String result(boolean passed) {
    return result(passed, false);
  }

  /** A passing consistency check (a candidate on the reference's own engine) says so: it is not parity. */
  private static String result(boolean passed, boolean consistencyCheck) {
    return !passed ? "<td class=\"l fail\">FAIL</td>"
        : consistencyCheck ? "<td class=\"l pass\">consistent</td>" : "<td class=\"l pass\">pass</td>";
  }

  private static String pct(double q) {
    double v = q * 100;
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}

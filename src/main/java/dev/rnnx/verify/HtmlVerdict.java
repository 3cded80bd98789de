package dev.rnnx.verify;

import static dev.rnnx.verify.HtmlReport.esc;
import static dev.rnnx.verify.HtmlReport.num;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of {@code report.html} a reviewer reads first: the verdict of every backend (of every
 * form, and every lightweight variant), failing ones first, with where each failing one departs;
 * and per form the table of where failing backends depart (layer → step → gate), backends whose
 * divergence is identical grouped into one row and one chart.
 */
final class HtmlVerdict {

  private HtmlVerdict() {}

  /** One verdict: a backend (or variant) of a form. */
  private record Row(String form, String backend, String verdict, boolean passed, String cases, double worstAbs,
      double neededAtol, String departs) {}

  /** The verdict table: one row per backend and form, failing first, and a one-line summary above it. */
  static void verdicts(StringBuilder sb, VerifyReport r) {
    boolean nodes = "artifacts".equals(r.subject().get("kind"));
    List<Row> rows = new ArrayList<>();
    for (FormReport f : r.forms()) {
      ParityResult p = f.parity();
      Set<String> candidates = new LinkedHashSet<>();
      p.comparisons().forEach(c -> candidates.add(c.candidate()));
      candidates.addAll(p.backendErrors().keySet());
      for (String b : candidates) {
        if (p.backendErrors().containsKey(b)) {
          rows.add(new Row(f.form(), b, "did not run", false, "-", Double.NaN, Double.NaN, p.backendErrors().get(b)));
          continue;
        }
        List<ElementwiseComparison> cs = p.comparisons().stream().filter(c -> c.candidate().equals(b)).toList();
        long ok = cs.stream().filter(ElementwiseComparison::passed).count();
        double worst = cs.stream().mapToDouble(ElementwiseComparison::maxAbsErr).max().orElse(0);
        double atol = p.summaries().stream().filter(s -> s.candidate().equals(b))
            .mapToDouble(PairSummary::requiredAtolAtRtol).max().orElse(0);
        String departs = p.divergences().stream().filter(d -> d.candidate().equals(b)).findFirst()
            .map(d -> where(d, nodes)).orElse(ok == cs.size() ? "" : "not localised");
        String verdict = ok != cs.size() ? "FAIL" : cs.stream().allMatch(ParityResult::isConsistencyCheck)
            ? "consistent (a consistency check, not parity)" : "pass";
        rows.add(new Row(f.form(), b, verdict, ok == cs.size(), ok + "/" + cs.size(), worst, atol, departs));
      }
      for (VariantResult v : f.variants()) {
        rows.add(new Row(f.form(), "variant " + v.variant().id(), v.passed() ? "within budget" : "OVER BUDGET", v.passed(),
            v.parity().comparisons().stream().filter(ElementwiseComparison::passed).count() + "/"
                + v.parity().comparisons().size(), v.parity().worstAbsErr(), Double.NaN, "budget " + v.budget().describe()));
      }
    }
    List<Row> ordered = new ArrayList<>(rows.stream().filter(x -> !x.passed()).toList());
    ordered.addAll(rows.stream().filter(Row::passed).toList());
    List<String> failing = rows.stream().filter(x -> !x.passed()).map(x -> r.hasForms() ? x.backend() + " (" + x.form() + ")"
        : x.backend()).toList();
    String reference = r.forms().get(0).parity().comparisons().stream().map(ElementwiseComparison::reference).findFirst()
        .orElse("the reference");
    sb.append("<p class=lead>");
    if (failing.isEmpty() && r.verdict() == Verdict.UNVERIFIED) {
      sb.append("Nothing failed, but no independent reference judged ").append(r.unjudged().size())
          .append(" case output(s): the backends compared there run on the engine of <b>").append(esc(reference))
          .append("</b> (consistency checks). Listed below.");
    } else if (failing.isEmpty()) {
      long backends = rows.stream().map(Row::backend).distinct().count();
      sb.append("All ").append(backends).append(" backends agree with <b>").append(esc(reference)).append("</b>")
          .append(r.hasForms() ? " in all " + r.forms().size() + " forms." : ".");
    } else {
      sb.append(failing.size()).append(" of ").append(rows.size()).append(" fail against <b>").append(esc(reference))
          .append("</b>: <span class=fail>").append(esc(String.join(", ", failing))).append("</span>.");
    }
    sb.append("</p>\n");
    boolean anyDeparture = rows.stream().anyMatch(x -> !x.departs().isEmpty());
    if (r.hasForms()) {
      matrix(sb, r, ordered, anyDeparture);
      return;
    }
    sb.append("<div class=scroll><table class=verdicts><tr><th class=l>backend</th><th class=l>verdict</th>")
        .append("<th>cases passed</th><th>worst abs err</th>")
        .append("<th title=\"the smallest atol that passes every case with rtol as set\">atol it needs</th>")
        .append(anyDeparture ? "<th class=l>where it departs (layer → step → gate)</th>" : "").append("</tr>\n");
    for (Row x : ordered) {
      sb.append("<tr class=").append(x.passed() ? "rowpass" : "rowfail").append("><td class=l><b>").append(esc(x.backend()))
          .append("</b></td><td class=\"l ").append(x.passed() ? "pass" : "fail").append("\">").append(esc(x.verdict()))
          .append("</td><td>").append(x.cases()).append("</td><td>").append(Double.isNaN(x.worstAbs()) ? "-" : num(x.worstAbs()))
          .append("</td><td>").append(Double.isNaN(x.neededAtol()) ? "-" : num(x.neededAtol())).append("</td>");
      if (anyDeparture) {
        sb.append("<td class=\"l wrap\">").append(esc(x.departs())).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table></div>\n");
  }

  /** The case outputs no independent reference judged, each with its reason (collapsed past the first 20). */
  static void unjudged(StringBuilder sb, VerifyReport r) {
    List<Unjudged> all = r.unjudged();
    if (all.isEmpty()) {
      return;
    }
    sb.append("<h2>Unverified: left unjudged (").append(all.size()).append(")</h2>\n");
    if (r.referenceGap() != null) {
      sb.append("<p>No independent reference: ").append(esc(r.shortReferenceGap())).append(".</p>\n");
    }
    sb.append("<ul>");
    for (int i = 0; i < all.size(); i++) {
      if (i == 20) {
        sb.append("</ul><details><summary>").append(all.size() - 20).append(" more</summary><ul>");
      }
      sb.append("<li>").append(esc(all.get(i).describe())).append("</li>");
    }
    sb.append(all.size() > 20 ? "</ul></details>\n" : "</ul>\n");
  }

  /** Several forms: one row per backend, one verdict cell per form, failing backends first. */
  private static void matrix(StringBuilder sb, VerifyReport r, List<Row> ordered, boolean anyDeparture) {
    Map<String, Map<String, Row>> byBackend = new LinkedHashMap<>();
    ordered.forEach(x -> byBackend.computeIfAbsent(x.backend(), k -> new LinkedHashMap<>()).put(x.form(), x));
    sb.append("<div class=scroll><table class=verdicts><tr><th class=l>backend</th>");
    r.forms().forEach(f -> sb.append("<th class=l><a href=\"#form-").append(esc(f.form())).append("\">form ")
        .append(esc(f.form())).append("</a></th>"));
    sb.append(anyDeparture ? "<th class=l>where it departs (form: layer → step → gate)</th>" : "").append("</tr>\n");
    for (Map.Entry<String, Map<String, Row>> b : byBackend.entrySet()) {
      boolean passed = b.getValue().values().stream().allMatch(Row::passed);
      sb.append("<tr class=").append(passed ? "rowpass" : "rowfail").append("><td class=l><b>").append(esc(b.getKey()))
          .append("</b></td>");
      List<String> departs = new ArrayList<>();
      for (FormReport f : r.forms()) {
        Row x = b.getValue().get(f.form());
        if (x == null) {
          sb.append("<td class=l>-</td>");
          continue;
        }
        sb.append("<td class=l><span class=").append(x.passed() ? "pass" : "fail").append('>').append(esc(x.verdict()))
            .append("</span> ").append(x.cases()).append(Double.isNaN(x.worstAbs()) ? "" : " · " + num(x.worstAbs()))
            .append("</td>");
        if (!x.departs().isEmpty()) {
          departs.add(f.form() + ": " + x.departs());
        }
      }
      if (anyDeparture) {
        sb.append("<td class=\"l wrap\">").append(esc(String.join("; ", departs))).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</table></div>\n<p class=muted>Each cell: verdict, cases passed, worst absolute error.</p>\n");
  }

  /** Where a divergence is, short: {@code layer 0 'lstm' → t=1 of sequence 0 (length 25) → gate o}. */
  static String where(Divergence d, boolean nodes) {
    if (d.layer() == null) {
      return "not localised: " + detail(d);
    }
    StringBuilder s = new StringBuilder(nodes ? "node '" + d.layer() + "'" : "layer " + d.layerIndex() + " '" + d.layer() + "'");
    if (d.step() >= 0) {
      s.append(" → t=").append(d.step()).append(" of sequence ").append(d.sequence()).append(" (length ").append(d.length())
          .append(')');
    }
    if (!d.gates().isEmpty()) {
      s.append(" → gate").append(d.gates().size() > 1 ? "s " : " ").append(String.join(", ", d.gateNames()));
    }
    return s.toString();
  }

  /** The divergence's sentence without its leading {@code candidate (case): }. */
  static String detail(Divergence d) {
    String prefix = d.candidate() + " (" + d.caseName() + "): ";
    return d.message().startsWith(prefix) ? d.message().substring(prefix.length()) : d.message();
  }

  /** The departure table of one form, identical divergences grouped, then each group's per-step error chart. */
  static void departures(StringBuilder sb, FormReport f, boolean nodes) {
    ParityResult p = f.parity();
    if (p.divergences().isEmpty()) {
      return;
    }
    Map<String, List<Divergence>> groups = new LinkedHashMap<>();
    for (Divergence d : p.divergences()) {
      String key = d.caseName() + "\u0000" + detail(d) + "\u0000" + Arrays.toString(d.stepErrors()) + "\u0000" + d.gates();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(d);
    }
    sb.append("<h2>Where the failing backends depart</h2>\n<div class=scroll><table class=departs><tr><th class=l>backends</th>")
        .append("<th class=l>case</th><th class=l>").append(nodes ? "first node over tolerance" : "first layer over tolerance")
        .append("</th><th>its max abs err</th><th class=l>first diverging step</th><th>step's max abs err</th>")
        .append("<th class=l>gates over tolerance</th></tr>\n");
    for (List<Divergence> g : groups.values()) {
      Divergence d = g.get(0);
      sb.append("<tr class=rowfail><td class=\"l wrap group\">").append(esc(String.join(", ", candidates(g)))).append("</td><td class=l>")
          .append(esc(d.caseName())).append("</td>");
      if (d.layer() == null) {
        sb.append("<td class=\"l wrap\" colspan=5>").append(esc(detail(d))).append("</td></tr>\n");
        continue;
      }
      sb.append("<td class=l>").append(esc(where(new Divergence(d.candidate(), d.caseName(), d.layer(), d.layerIndex(), d.value(),
          -1, -1, -1, Map.of(), d.maxAbsErr(), null, d.message()), nodes))).append("</td><td>").append(num(d.maxAbsErr()))
          .append("</td><td class=l>");
      if (d.step() >= 0) {
        sb.append("t=").append(d.step()).append(" of sequence ").append(d.sequence()).append(" (length ").append(d.length())
            .append(")</td><td>").append(d.step() < d.stepErrors().length ? num(d.stepErrors()[d.step()]) : "-");
      } else {
        sb.append("-</td><td>-");
      }
      sb.append("</td><td class=l>");
      List<String> gates = new ArrayList<>();
      d.gates().forEach((k, v) -> gates.add("<b>" + esc(k) + "</b> (" + num(v) + ")"));
      sb.append(gates.isEmpty() ? "-" : String.join(", ", gates)).append("</td></tr>\n");
    }
    sb.append("</table></div>\n");
    Criterion k = p.criteria().defaults();
    sb.append("<div class=charts>");
    for (List<Divergence> g : groups.values()) {
      Divergence d = g.get(0);
      if (d.stepErrors().length > 0) {
        sb.append("<figure>").append(SvgChart.line(d.stepErrors(), String.join(", ", candidates(g)) + " " + d.layer(),
            "time step (input time)", "max |Δh|", List.of(new SvgChart.Tolerance("atol", k.atol(), false))))
            .append("<figcaption>Hidden-state error at each step inside layer '").append(esc(d.layer())).append("' (")
            .append(esc(d.caseName())).append("), <b>").append(esc(String.join(", ", candidates(g))))
            .append("</b>: where it starts and how it grows.</figcaption></figure>");
      }
    }
    sb.append("</div>\n<details><summary>The locator's findings in full</summary><ul>");
    for (List<Divergence> g : groups.values()) {
      sb.append("<li><b>").append(esc(String.join(", ", candidates(g)))).append("</b> (").append(esc(g.get(0).caseName()))
          .append("): ").append(esc(detail(g.get(0)))).append("</li>");
    }
    sb.append("</ul></details>\n");
  }

  private static List<String> candidates(List<Divergence> g) {
    return g.stream().map(Divergence::candidate).toList();
  }
}

package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The layout of {@code report.html} a reviewer acts on: the verdict table first, failing backends
 * before passing ones, identical backends grouped into one row and one chart set, tolerance lines,
 * axes taken from the data, numbers that never wrap, nothing fetched.
 */
class HtmlReportTest {

  private static final Criterion K = Criterion.DEFAULT;

  /** pass-a agrees; bad-1 and bad-2 are off by the same 0.02 in every case and diverge at the same step and gate. */
  private static VerifyReport report() {
    List<ParityCase> cases = new ArrayList<>();
    Map<String, Map<String, FloatTensor>> refs = new LinkedHashMap<>();
    List<ElementwiseComparison> cs = new ArrayList<>();
    for (int len : new int[] {5, 40}) {
      String name = "batch1_len" + len;
      cases.add(new ParityCase(name, Map.of("input", FloatTensor.zeros(1, len, 1))));
      FloatTensor ref = FloatTensor.of(new float[] {0.5f, -2f}, 1, 2);
      refs.put(name, Map.of("output", ref));
      cs.add(ElementwiseComparison.compare(name, "ref", "pass-a", "output", ref, FloatTensor.of(new float[] {0.5f, -2f}, 1, 2),
          K, false));
      for (String bad : List.of("bad-1", "bad-2")) {
        cs.add(ElementwiseComparison.compare(name, "ref", bad, "output", ref, FloatTensor.of(new float[] {0.52f, -2f}, 1, 2),
            K, false));
      }
    }
    List<Divergence> ds = new ArrayList<>();
    for (String bad : List.of("bad-1", "bad-2")) {
      ds.add(new Divergence(bad, "batch1_len5", "lstm", 0, "lstm/Y", 0, 3, 5, Map.of("o", 1.5e-2), 2.7e-2,
          new double[] {1e-8, 1e-8, 2e-8, 1.8e-3, 2e-2}, bad + " (batch1_len5): layer 0 'lstm' (lstm) is the first whose output"
              + " exceeds tolerance; gate o first in canonical order"));
    }
    ParityResult p = new ParityResult(K.tolerances(), cs, Map.of(), Map.of("pass-a", 0.1), List.of(), ParityCriteria.of(K), ds);
    FormReport f = new FormReport("model", p, cases, refs, Map.of(), null, List.of());
    return new VerifyReport(Map.of("kind", "run", "recipe", "toy"), List.of(f), "generated (seed 1)", List.of(), Map.of(),
        Map.of());
  }

  @Test
  void verdictFirstFailingFirstGroupedAndToleranceDrawn() {
    String html = HtmlReport.render(report());

    int verdicts = html.indexOf("<table class=verdicts>");
    int departs = html.indexOf("Where the failing backends depart");
    int summary = html.indexOf("<h2>Summary</h2>");
    int failingCharts = html.indexOf("Errors of the failing backends");
    int passingCharts = html.indexOf("Errors of the passing backends");
    assertTrue(verdicts > 0 && verdicts < departs && departs < summary && summary < failingCharts
        && failingCharts < passingCharts, "verdicts, departures, summary, failing charts, passing charts: " + List.of(verdicts,
        departs, summary, failingCharts, passingCharts));
    assertEquals(-1, html.substring(0, verdicts).indexOf("<svg"), "no chart above the verdict table");

    String verdictTable = html.substring(verdicts, html.indexOf("</table>", verdicts));
    assertTrue(verdictTable.indexOf("bad-1") < verdictTable.indexOf("pass-a"), "failing backends first");
    assertTrue(verdictTable.contains("layer 0 'lstm' → t=3 of sequence 0 (length 5) → gate o"), verdictTable);
    assertTrue(html.contains("2 of 3 fail against <b>ref</b>"));

    String departTable = html.substring(html.indexOf("<table class=departs>"), html.indexOf("</table>", departs));
    assertEquals(1, count(departTable, "class=rowfail"), "identical divergences: one row");
    assertTrue(departTable.contains(">bad-1, bad-2<"), departTable);
    assertTrue(departTable.contains("<b>o</b> (1.500e-02)"), departTable);
    assertEquals(1, count(html, "Hidden-state error at each step"), "one step-error chart for the group");

    String failing = html.substring(failingCharts, passingCharts);
    assertTrue(failing.contains("<span class=group>bad-1, bad-2</span>"), "one chart set for identical errors");
    assertEquals(2, count(failing, "<svg"), "histogram and error against length, once");
    assertTrue(html.substring(passingCharts).contains("<span class=group>pass-a</span>"));

    assertTrue(count(html, "<line class=\"tol\"") >= 5, "atol in every chart, rtol·max|ref| in the output charts");
    assertTrue(html.contains("atol 1e-5"));
    assertTrue(html.contains("rtol·max|ref| 2e-5"), "rtol 1e-5 times the largest |reference| 2");
    assertTrue(html.contains("white-space:nowrap"), "numbers never wrap");
    assertTrue(html.contains(".scroll{overflow-x:auto"), "wide tables scroll in their box");
    assertFalse(Pattern.compile("<script|<link|<img|<iframe|src=|url\\(|@import|@font-face", Pattern.CASE_INSENSITIVE)
        .matcher(html).find(), "self-contained");
    assertFalse(html.replace("http://www.w3.org/2000/svg", "").contains("http"), "no network address");
  }

  @Test
  void scatterHasXTicksAndAYRangeFromTheData() {
    String html = HtmlReport.render(report());
    String failing = html.substring(html.indexOf("Errors of the failing backends"), html.indexOf("Errors of the passing"));
    Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(failing);
    assertTrue(svg.find() && svg.find(), "the second chart is the scatter");
    String scatter = svg.group();
    for (String tick : List.of(">0<", ">10<", ">20<", ">30<", ">40<")) {
      assertTrue(scatter.contains(tick), "x tick " + tick + " in " + scatter);
    }
    assertTrue(scatter.contains(">1e-1<") && scatter.contains(">1e-6<"), "errors 2e-2 and atol 1e-5 in view");
    assertFalse(scatter.contains(">1e-12<") || scatter.contains(">1e2<"), "not the fixed 1e-12..1e2 axis");
  }

  @Test
  void logAxisAndTicks() {
    SvgChart.LogAxis a = SvgChart.LogAxis.of(new double[] {2e-2, 3e-7}, List.of(new SvgChart.Tolerance("atol", 1e-5, false)));
    assertEquals(-7, a.lo());
    assertEquals(-1, a.hi());
    SvgChart.LogAxis z = SvgChart.LogAxis.of(new double[] {0, 1e-3}, List.of());
    assertTrue(z.hasZero() && z.lo() == -5 && z.ticks().get(0) == -5, "zeros get the decade below, labelled 0: " + z);
    assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), SvgChart.xTicks(100));
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0), SvgChart.xTicks(3));
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}

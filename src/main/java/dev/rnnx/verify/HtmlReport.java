package dev.rnnx.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, no font, no image
 * file, nothing fetched) that opens in any browser offline: the verdict, the parity table, every
 * backend failure, non-finite value and divergence, then per candidate and output a histogram of
 * absolute errors (log-spaced bins, all cases together) and the error's growth along the sequence
 * (largest error per case against its length, and per time step of the longest case).
 */
final class HtmlReport {

  private static final int W = 420;
  private static final int H = 200;

  private HtmlReport() {}

  static String render(VerifyReport r) {
    ParityResult p0 = r.forms().get(0).parity();
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>rnnx verify: ")
        .append(esc(title(r))).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}")
        .append("table{border-collapse:collapse;font-size:13px;margin:0.5em 0}td,th{border:1px solid #ccc;padding:3px 6px;")
        .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}.pass{color:#176b2c;font-weight:bold}")
        .append(".fail{color:#b00020;font-weight:bold}.verdict{font-size:1.4em;padding:0.4em 0.8em;display:inline-block;")
        .append("border-radius:4px}.ok{background:#e3f4e6}.bad{background:#fbe3e6}pre{background:#f6f6f6;padding:0.6em;")
        .append("white-space:pre-wrap}.charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:12px;")
        .append("color:#555}svg text{font-size:10px;fill:#444}\n</style></head><body>\n");
    sb.append("<h1>rnnx verify: ").append(esc(title(r))).append("</h1>\n");
    sb.append("<p class=\"verdict ").append(r.passed() ? "ok\">parity holds" : "bad\">parity FAILS").append("</p>\n");
    sb.append("<p>Criterion: ").append(esc(p0.criteria().defaults().describe()));
    p0.criteria().perOutput().forEach((k, v) -> sb.append("; output <b>").append(esc(k)).append("</b>: ").append(esc(v.describe())));
    sb.append(". Inputs: ").append(esc(r.inputSource())).append(", ")
        .append(r.forms().stream().mapToInt(f -> f.cases().size()).sum()).append(" cases.</p>\n");
    for (FormReport f : r.forms()) {
      if (r.hasForms()) {
        sb.append("<h1 id=\"form-").append(esc(f.form())).append("\">Form ").append(esc(f.form())).append(": ")
            .append(f.passed() ? "<span class=pass>parity holds</span>" : "<span class=fail>parity FAILS</span>").append("</h1>\n");
      }
      form(sb, f);
    }
    if (!r.notes().isEmpty()) {
      sb.append("<h2>Notes</h2>\n<ul>");
      r.notes().forEach(n -> sb.append("<li>").append(esc(n)).append("</li>"));
      sb.append("</ul>\n");
    }
    sb.append("<p>Stages: ");
    List<String> stages = new ArrayList<>();
    r.timings().forEach((k, v) -> stages.add(esc(k) + " " + String.format(Locale.ROOT, "%.2f s", v)));
    sb.append(String.join(", ", stages)).append(".</p>\n<p>Versions: ");
    List<String> versions = new ArrayList<>();
    r.versions().forEach((k, v) -> versions.add(esc(k) + " " + esc(v)));
    sb.append(String.join(", ", versions)).append(".</p>\n</body></html>\n");
    return sb.toString();
  }

  /** One form's sections: summary, variants, failures, divergences, charts, every comparison, backend times. */
  private static void form(StringBuilder sb, FormReport r) {
    ParityResult p = r.parity();

    sb.append("<h2>Summary</h2>\n<table><tr><th class=l>reference</th><th class=l>candidate</th><th class=l>output</th>")
        .append("<th>max abs</th><th>max rel</th><th>mean abs</th><th>median abs</th><th>p")
        .append(pct(p.criteria().defaults().quantile())).append(" abs</th><th>max ulp</th><th>min cosine</th>")
        .append("<th>req. atol (rtol as set)</th><th>req. rtol (atol as set)</th><th>req. atol alone</th><th>req. rtol alone</th>")
        .append("<th>argmax agree</th><th>top-k agree</th><th>sequence agree</th><th>cases</th><th>result</th></tr>\n");
    for (PairSummary s : p.summaries()) {
      sb.append("<tr><td class=l>").append(esc(s.reference())).append("</td><td class=l>").append(esc(s.candidate()))
          .append("</td><td class=l>").append(esc(s.output())).append("</td>");
      for (double v : new double[] {s.maxAbsErr(), s.maxRelErr(), s.meanAbsErr(), s.medianAbsErr(), s.quantileAbsErr()}) {
        sb.append("<td>").append(num(v)).append("</td>");
      }
      sb.append("<td>").append(s.maxUlp() == Long.MAX_VALUE ? "-" : s.maxUlp()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.6f", s.minCosine())).append("</td>");
      for (double v : new double[] {s.requiredAtolAtRtol(), s.requiredRtolAtAtol(), s.requiredAtol(), s.requiredRtol()}) {
        sb.append("<td>").append(num(v)).append("</td>");
      }
      for (double v : new double[] {s.argmaxAgreement(), s.topKAgreement(), s.sequenceAgreement()}) {
        sb.append("<td>").append(Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v)).append("</td>");
      }
      sb.append("<td>").append(s.casesPassed()).append('/').append(s.cases()).append("</td><td class=")
          .append(s.passed() ? "pass>pass" : "fail>FAIL").append("</td></tr>\n");
    }
    sb.append("</table>\n");

    if (!r.variants().isEmpty()) {
      sb.append("<h2>Lightweight variants against the float32 reference</h2>\n<table><tr><th class=l>variant</th>")
          .append("<th class=l>file</th><th class=l>budget</th><th>worst abs err</th><th>bytes</th><th>of fp32</th>")
          .append("<th>ms per pass</th><th>fp32 ms</th><th>speed-up</th><th>result</th></tr>\n");
      for (VariantResult v : r.variants()) {
        sb.append("<tr><td class=l>").append(esc(v.variant().id())).append("</td><td class=l>")
            .append(esc(v.file().getFileName().toString())).append("</td><td class=l>").append(esc(v.budget().describe()))
            .append("</td><td>").append(num(v.parity().worstAbsErr())).append("</td><td>").append(v.bytes())
            .append("</td><td>").append(String.format(Locale.ROOT, "%.2f", v.sizeRatio())).append("</td><td>")
            .append(String.format(Locale.ROOT, "%.2f", v.millis())).append("</td><td>")
            .append(String.format(Locale.ROOT, "%.2f", v.fp32Millis())).append("</td><td>")
            .append(String.format(Locale.ROOT, "%.2fx", v.speedup())).append("</td><td class=")
            .append(v.passed() ? "pass>pass" : "fail>FAIL").append("</td></tr>\n");
      }
      sb.append("</table>\n<p>Per output (").append("required tolerances are the smallest that pass):</p>\n<table>")
          .append("<tr><th class=l>candidate</th><th class=l>output</th><th>max abs</th><th>max rel</th>")
          .append("<th>req. atol (rtol as set)</th><th>argmax agree</th><th>cases</th><th>result</th></tr>\n");
      for (VariantResult v : r.variants()) {
        for (PairSummary s : v.parity().summaries()) {
          sb.append("<tr><td class=l>").append(esc(s.candidate())).append("</td><td class=l>").append(esc(s.output()))
              .append("</td><td>").append(num(s.maxAbsErr())).append("</td><td>").append(num(s.maxRelErr()))
              .append("</td><td>").append(num(s.requiredAtolAtRtol())).append("</td><td>")
              .append(Double.isNaN(s.argmaxAgreement()) ? "-" : String.format(Locale.ROOT, "%.3f", s.argmaxAgreement()))
              .append("</td><td>").append(s.casesPassed()).append('/').append(s.cases()).append("</td><td class=")
              .append(s.passed() ? "pass>pass" : "fail>FAIL").append("</td></tr>\n");
        }
      }
      sb.append("</table>\n");
    }

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
    if (!p.divergences().isEmpty()) {
      sb.append("<h2>Where failing candidates first diverge</h2>\n");
      for (Divergence d : p.divergences()) {
        sb.append("<pre>").append(esc(d.message())).append("</pre>\n");
        if (d.stepErrors().length > 0) {
          sb.append("<figure>").append(lineChart(List.of(series(d.candidate() + " " + d.layer(), d.stepErrors())),
              "time step (input time)", "max |Δh|")).append("<figcaption>Per-step hidden-state error inside layer '")
              .append(esc(d.layer())).append("' (").append(esc(d.caseName())).append("): error growth along the sequence.")
              .append("</figcaption></figure>\n");
        }
      }
    }
    sb.append("<h2>Errors per candidate and output</h2>\n");
    Map<String, List<ElementwiseComparison>> groups = new LinkedHashMap<>();
    for (ElementwiseComparison e : p.comparisons()) {
      groups.computeIfAbsent(e.candidate() + " / " + e.output(), k -> new ArrayList<>()).add(e);
    }
    Map<String, Integer> lengths = new LinkedHashMap<>();
    r.cases().forEach(c -> lengths.put(c.name(), VerifyReports.sequenceLength(c)));
    for (Map.Entry<String, List<ElementwiseComparison>> g : groups.entrySet()) {
      sb.append("<h3>").append(esc(g.getKey())).append("</h3>\n<div class=charts>");
      long[] hist = new long[ErrorStats.HISTOGRAM_BINS.length];
      for (ElementwiseComparison e : g.getValue()) {
        if (e.stats() != null) {
          long[] h = e.stats().histogram();
          for (int i = 0; i < h.length; i++) {
            hist[i] += h[i];
          }
        }
      }
      sb.append("<figure>").append(histogram(hist)).append("<figcaption>Absolute error histogram, all cases.</figcaption></figure>");
      List<double[]> points = new ArrayList<>();
      for (ElementwiseComparison e : g.getValue()) {
        int len = lengths.getOrDefault(e.caseName(), -1);
        if (len > 0) {
          points.add(new double[] {len, e.maxAbsErr()});
        }
      }
      if (!points.isEmpty()) {
        sb.append("<figure>").append(scatter(points, "sequence length", "max abs err"))
            .append("<figcaption>Largest error of each case against its sequence length.</figcaption></figure>");
      }
      ElementwiseComparison longest = null;
      for (ElementwiseComparison e : g.getValue()) {
        if (e.stats() != null && e.stats().perStep().length > 1
            && (longest == null || e.stats().perStep().length > longest.stats().perStep().length)) {
          longest = e;
        }
      }
      if (longest != null) {
        sb.append("<figure>").append(lineChart(List.of(series(longest.caseName(), longest.stats().perStep())),
            "time step", "max abs err")).append("<figcaption>Error at each time step of ").append(esc(longest.caseName()))
            .append(".</figcaption></figure>");
      }
      sb.append("</div>\n");
    }

    sb.append("<h2>Every comparison</h2>\n<details><summary>").append(p.comparisons().size())
        .append(" comparisons</summary>\n<table><tr><th class=l>case</th><th class=l>candidate</th><th class=l>output</th>")
        .append("<th>max abs</th><th>max rel</th><th>failing</th><th>elements</th><th class=l>problem</th><th>result</th></tr>\n");
    for (ElementwiseComparison e : p.comparisons()) {
      sb.append("<tr><td class=l>").append(esc(e.caseName())).append("</td><td class=l>").append(esc(e.candidate()))
          .append("</td><td class=l>").append(esc(e.output())).append("</td><td>").append(num(e.maxAbsErr())).append("</td><td>")
          .append(num(e.maxRelErr())).append("</td><td>").append(e.failing()).append("</td><td>").append(e.elements())
          .append("</td><td class=l>").append(e.problem() == null ? "" : esc(e.problem())).append("</td><td class=")
          .append(e.passed() ? "pass>pass" : "fail>FAIL").append("</td></tr>\n");
    }
    sb.append("</table></details>\n");
    sb.append("<h2>Backends</h2>\n<table><tr><th class=l>backend</th><th>seconds in run</th></tr>");
    p.backendSeconds().forEach((b, s) -> sb.append("<tr><td class=l>").append(esc(b)).append("</td><td>")
        .append(String.format(Locale.ROOT, "%.3f", s)).append("</td></tr>"));
    sb.append("</table>\n");
  }

  private static String title(VerifyReport r) {
    Object s = r.subject().get("recipe");
    if (s == null) {
      s = r.subject().getOrDefault("onnx", r.subject().getOrDefault("saved_model", "artifacts"));
    }
    return String.valueOf(s);
  }

  private record Series(String name, double[] y) {}

  private static Series series(String name, double[] y) {
    return new Series(name, y);
  }

  /** log10 of a positive error, clamped to [-12, 2]; 0 and non-finite errors are drawn at the bounds. */
  private static double lg(double v) {
    if (!(v > 0)) {
      return -12;
    }
    if (!Double.isFinite(v)) {
      return 2;
    }
    return Math.max(-12, Math.min(2, Math.log10(v)));
  }

  private static String histogram(long[] counts) {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    int n = counts.length;
    double bw = (W - 50.0) / n;
    StringBuilder sb = svgOpen();
    sb.append(axes());
    for (int i = 0; i < n; i++) {
      double h = (H - 40.0) * counts[i] / max;
      double x = 40 + i * bw;
      sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
          x + 1, H - 25 - h, bw - 2, h, i >= n - 2 ? "#b00020" : "#4a78b5", esc(ErrorStats.HISTOGRAM_BINS[i]), counts[i]));
      String label = i == 0 ? "0" : i == 1 ? "<-12" : i == n - 2 ? "\u22651" : i == n - 1 ? "NaN" : String.valueOf(i - 14);
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" style=\"font-size:8px\">%s</text>",
          x + bw / 2, H - 15, esc(label)));
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">log10 |error|: lower bin edge</text>",
        W / 2, H - 2));
    sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"12\">%d</text>", max));
    return sb.append("</svg>").toString();
  }

  private static String scatter(List<double[]> points, String xLabel, String yLabel) {
    double maxX = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
    StringBuilder sb = svgOpen();
    sb.append(axes()).append(yTicks()).append(labels(xLabel, yLabel, maxX));
    for (double[] p : points) {
      sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#4a78b5\"><title>length %d: %s</title></circle>",
          x(p[0], maxX), y(lg(p[1])), (int) p[0], num(p[1])));
    }
    return sb.append("</svg>").toString();
  }

  private static String lineChart(List<Series> series, String xLabel, String yLabel) {
    int n = series.stream().mapToInt(s -> s.y().length).max().orElse(1);
    double maxX = Math.max(1, n - 1);
    StringBuilder sb = svgOpen();
    sb.append(axes()).append(yTicks()).append(labels(xLabel, yLabel, maxX));
    String[] colours = {"#b00020", "#4a78b5", "#176b2c", "#8a5a00"};
    int k = 0;
    for (Series s : series) {
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < s.y().length; i++) {
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, maxX), y(lg(s.y()[i]))));
      }
      sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"><title>%s</title></polyline>",
          colours[k++ % colours.length], pts.toString().strip(), esc(s.name())));
    }
    return sb.append("</svg>").toString();
  }

  private static StringBuilder svgOpen() {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">", W, H, W, H));
  }

  private static String axes() {
    return String.format(Locale.ROOT, "<line x1=\"40\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/><line x1=\"40\" y1=\"10\""
        + " x2=\"40\" y2=\"%d\" stroke=\"#888\"/>", H - 25, W - 10, H - 25, H - 25);
  }

  private static String yTicks() {
    StringBuilder sb = new StringBuilder();
    for (int e = -12; e <= 2; e += 2) {
      sb.append(String.format(Locale.ROOT, "<text x=\"36\" y=\"%.1f\" text-anchor=\"end\">1e%d</text>"
          + "<line x1=\"40\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>", y(e) + 3, e, y(e), W - 10, y(e)));
    }
    return sb.toString();
  }

  private static String labels(String xLabel, String yLabel, double maxX) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s (0 … %s)</text>"
        + "<text x=\"44\" y=\"9\">%s (log scale)</text>", W / 2, H - 4, esc(xLabel), num0(maxX), esc(yLabel));
  }

  private static double x(double v, double maxX) {
    return 40 + (W - 55.0) * v / maxX;
  }

  private static double y(double log) {
    return (H - 25) - (H - 35.0) * (log + 12) / 14.0;
  }

  private static String num0(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  private static String pct(double q) {
    return num0(q * 100);
  }

  static String num(double v) {
    return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, "%.3e", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

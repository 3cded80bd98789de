package dev.rnnx.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, no script, no font, no image
 * file, nothing fetched) that opens in any browser offline, laid out for a reviewer who has ten
 * seconds: first the verdict and a table of every backend's verdict (failing first, with where
 * each departs); then per form where the failing backends depart (layer → step → gate, identical
 * backends grouped: {@link HtmlVerdict}), the summary ({@link HtmlTables}), the error charts with
 * their tolerances, failing backends' first ({@link HtmlCharts}, {@link SvgChart}), and the rest.
 */
final class HtmlReport {

  private static final String CSS = String.join("",
      "body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:1400px}",
      "h1{margin:0 0 0.3em}h2{margin:1.2em 0 0.4em;border-bottom:1px solid #ddd}h3{margin:1em 0 0.3em;font-size:1.05em}",
      ".scroll{overflow-x:auto;max-width:100%}",
      "table{border-collapse:collapse;font-size:13px;margin:0.4em 0}td,th{border:1px solid #ccc;padding:3px 7px;",
      "text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}th{background:#f3f3f3;font-weight:600}",
      "td.l,th.l{text-align:left}td.wrap{white-space:normal;min-width:12em}td.group{max-width:16em}",
      ".pass{color:#176b2c;font-weight:bold}.fail{color:#b00020;font-weight:bold}",
      "tr.rowfail td:first-child{border-left:4px solid #b00020}tr.rowpass td:first-child{border-left:4px solid #2e9e4f}",
      "table.verdicts{font-size:14px}table.verdicts td{padding:5px 9px}",
      ".verdict{font-size:1.5em;padding:0.3em 0.8em;display:inline-block;border-radius:4px;margin:0.2em 0}",
      ".ok{background:#e3f4e6;color:#176b2c}.warn{background:#fff3d6;color:#8a5a00}.bad{background:#fbe3e6;color:#b00020}.lead{font-size:1.1em;margin:0.4em 0}",
      ".muted{color:#666;font-size:13px}details{margin:0.4em 0}summary{cursor:pointer;color:#335}",
      ".charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{font-size:12px;color:#555;max-width:420px}",
      "h3.chartset .group{font-family:ui-monospace,monospace}svg text{font-size:11px;fill:#444}",
      "svg text.tl{fill:#a85a00;paint-order:stroke;stroke:#fff;stroke-width:3px}",
      "nav a{margin-right:1em}");

  private HtmlReport() {}

  static String render(VerifyReport r) {
    ParityResult p0 = r.forms().get(0).parity();
    boolean nodes = "artifacts".equals(r.subject().get("kind"));
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>rnnx verify: ")
        .append(esc(title(r))).append(" (").append(esc(r.verdict().headline())).append(")</title>\n<style>\n")
        .append(CSS).append("\n</style></head><body>\n");
    sb.append("<h1>rnnx verify: ").append(esc(title(r))).append("</h1>\n");
    sb.append("<p class=\"verdict ").append(switch (r.verdict()) {
      case PASSED -> "ok";
      case FAILED -> "bad";
      case UNVERIFIED -> "warn";
    }).append("\">").append(esc(r.verdict().headline())).append("</p>\n");
    if (r.opinions() != null) {
      sb.append("<p class=lead><b>").append(r.opinions().disagree() ? "The artifacts disagree." : "The artifacts agree.")
          .append("</b> ").append(esc(r.opinions().describe())).append("</p>\n");
    }
    HtmlVerdict.verdicts(sb, r);
    HtmlWeights.section(sb, r.weights());
    HtmlVerdict.unjudged(sb, r);
    sb.append("<p class=muted>Criterion: ").append(esc(p0.criteria().defaults().describe()));
    p0.criteria().perOutput().forEach((k, v) -> sb.append("; output <b>").append(esc(k)).append("</b>: ").append(esc(v.describe())));
    int cases = r.forms().stream().mapToInt(f -> f.cases().size()).sum();
    sb.append(". Inputs: ").append(esc(r.inputSource())).append(", ").append(cases)
        .append(cases == 1 ? " case.</p>\n" : " cases.</p>\n");
    if (r.hasForms()) {
      sb.append("<nav>Forms: ");
      r.forms().forEach(f -> sb.append("<a href=\"#form-").append(esc(f.form())).append("\">").append(esc(f.form()))
          .append(" (<span class=").append(f.passed() ? "pass>pass" : "fail>FAIL").append("</span>)</a>"));
      sb.append("</nav>\n");
    }
    for (FormReport f : r.forms()) {
      if (r.hasForms()) {
        sb.append("<h1 id=\"form-").append(esc(f.form())).append("\">Form ").append(esc(f.form())).append(": ")
            .append(f.passed() ? "<span class=pass>parity holds</span>" : "<span class=fail>parity FAILS</span>").append("</h1>\n");
      }
      HtmlVerdict.departures(sb, f, nodes);
      HtmlTables.summary(sb, f.parity());
      HtmlTables.problems(sb, f.parity());
      HtmlCharts.render(sb, f);
      HtmlTables.variants(sb, f.variants());
      HtmlTables.comparisons(sb, f.parity());
    }
    if (!r.notes().isEmpty()) {
      sb.append("<h2>Notes</h2>\n<ul>");
      r.notes().forEach(n -> sb.append("<li>").append(esc(n)).append("</li>"));
      sb.append("</ul>\n");
    }
    sb.append("<p class=muted>Stages: ");
    List<String> stages = new ArrayList<>();
    r.timings().forEach((k, v) -> stages.add(esc(k) + " " + String.format(Locale.ROOT, "%.2f s", v)));
    sb.append(String.join(", ", stages)).append(".</p>\n<p class=muted>Versions: ");
    List<String> versions = new ArrayList<>();
    r.versions().forEach((k, v) -> versions.add(esc(k) + " " + esc(v)));
    sb.append(String.join(", ", versions)).append(".</p>\n</body></html>\n");
    return sb.toString();
  }

  private static String title(VerifyReport r) {
    Object s = r.subject().get("recipe");
    if (s == null) {
      s = r.subject().getOrDefault("onnx", r.subject().getOrDefault("saved_model", "artifacts"));
    }
    return String.valueOf(s);
  }

  static String num(double v) {
    return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : String.format(Locale.ROOT, "%.3e", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}

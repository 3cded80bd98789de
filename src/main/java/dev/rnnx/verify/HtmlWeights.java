package dev.rnnx.verify;

import static dev.rnnx.verify.HtmlReport.esc;

import java.util.Arrays;
import java.util.Locale;

/** report.html's section on the two artifacts' weights ({@link WeightComparison}): a table of where they differ. */
final class HtmlWeights {

  private HtmlWeights() {}

  /** Appends the section; nothing when there is no comparison. */
  static void section(StringBuilder sb, WeightComparison w) {
    if (w == null) {
      return;
    }
    String cls = switch (w.status()) {
      case WeightComparison.DIFFER -> "fail";
      case WeightComparison.NOT_COMPARED -> "warn";
      default -> "pass";
    };
    String head = switch (w.status()) {
      case WeightComparison.IDENTICAL -> "Weights identical";
      case WeightComparison.ROUNDING -> "Weights equal within float32 rounding";
      case WeightComparison.DIFFER -> "Weights differ";
      default -> "Weights not compared";
    };
    String detail = switch (w.status()) {
      case WeightComparison.IDENTICAL -> "All " + w.compared() + " parameters, lifted into rnnx's canonical layout, are"
          + " equal bit for bit.";
      case WeightComparison.ROUNDING -> "All " + w.compared() + " parameters are within 4 float32 ulps of each other.";
      case WeightComparison.DIFFER -> w.differing() + " of " + w.compared() + " parameters differ beyond float32 rounding"
          + " (4 ulps); the first, in the canonical order, below.";
      default -> "A side could not be lifted into rnnx's canonical layout; the outputs are still compared above.";
    };
    sb.append("<h2>The two artifacts' weights</h2>\n<p class=lead><b class=").append(cls).append('>').append(head)
        .append(".</b> ").append(esc(detail)).append("</p>\n");
    sb.append("<div class=scroll><table class=verdicts><tr><th class=l>ONNX file</th><td class=\"l wrap\">")
        .append(esc(w.onnxSide())).append("</td></tr>\n<tr><th class=l>SavedModel</th><td class=\"l wrap\">")
        .append(esc(w.savedModelSide())).append("</td></tr>\n");
    if (!WeightComparison.NOT_COMPARED.equals(w.status())) {
      row(sb, "parameters compared", Integer.toString(w.compared()));
      row(sb, "parameters differing", Integer.toString(w.differing()));
      row(sb, "max abs diff", String.format(Locale.ROOT, "%.3e", w.maxAbsDiff()));
    }
    WeightComparison.FirstDifference f = w.first();
    if (f != null) {
      row(sb, "first differing layer", f.layer());
      row(sb, "parameter", f.parameter());
      row(sb, "gate block", f.gateBlock() == null ? "-" : f.gateBlock() + " (canonical order " + f.gateOrder() + "), unit "
          + f.unit());
      row(sb, "element", Arrays.toString(f.index()) + ": " + f.onnxValue() + " in the ONNX file, " + f.savedModelValue()
          + " in the SavedModel");
      row(sb, "in this parameter", String.format(Locale.ROOT, "%d values differ, max abs diff %.3e", f.differingValues(),
          f.parameterMaxAbsDiff()));
    }
    sb.append("</table></div>\n");
  }

  private static void row(StringBuilder sb, String key, String value) {
    sb.append("<tr><th class=l>").append(esc(key)).append("</th><td class=l>").append(esc(value)).append("</td></tr>\n");
  }
}

package dev.rnnx.verify;

import dev.rnnx.spec.ModelForm;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one verification found and needs for its reports ({@link VerifyReports}): what was
 * verified, each form's result, and timings. One type whatever the model kind: a sequential model
 * or an artifact from elsewhere has one form, {@code model}.
 *
 * @param subject what was verified, as report keys: {@code kind} ({@code run}, {@code model} or
 *     {@code artifacts}) and the paths, recipe and model name where known
 * @param forms each form's result, in the model's form order
 * @param inputSource {@code generated (seed N)} or the inputs folder
 * @param notes remarks for the reader (e.g. what could not be localised and why)
 * @param timings wall seconds per stage, over every form
 * @param versions library versions
 * @param referenceGap why the independent reference is missing (the pure-Java evaluator cannot run
 *     the ONNX file, or there is none), or {@code null} when it ran
 * @param opinions with an ONNX file and a SavedModel, which backends side with which artifact, or
 *     {@code null} when there is not both or the question did not arise
 * @param weights with an ONNX file and a SavedModel, the parameter-by-parameter comparison of their
 *     weights ({@link WeightComparison}), or {@code null} when there is not both
 */
public record VerifyReport(
    Map<String, Object> subject,
    List<FormReport> forms,
    String inputSource,
    List<String> notes,
    Map<String, Double> timings,
    Map<String, String> versions,
    String referenceGap,
    ArtifactOpinions opinions,
    WeightComparison weights) {

  /** Copies the collections. */
  public VerifyReport {
    subject = Collections.unmodifiableMap(new LinkedHashMap<>(subject));
    forms = List.copyOf(forms);
    notes = List.copyOf(notes);
    timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /** A report whose reference ran and that compares no two artifacts. */
  public VerifyReport(Map<String, Object> subject, List<FormReport> forms, String inputSource, List<String> notes,
      Map<String, Double> timings, Map<String, String> versions) {
    this(subject, forms, inputSource, notes, timings, versions, null, null, null);
  }

  /** A report without a weight comparison. */
  public VerifyReport(Map<String, Object> subject, List<FormReport> forms, String inputSource, List<String> notes,
      Map<String, Double> timings, Map<String, String> versions, String referenceGap, ArtifactOpinions opinions) {
    this(subject, forms, inputSource, notes, timings, versions, referenceGap, opinions, null);
  }

  /** Whether parity holds for every form against an independent reference, and every variant stays within its budget. */
  public boolean passed() {
    return verdict() == Verdict.PASSED;
  }

  /** The verdict over every form: failed over unverified over passed; failed when the two artifacts disagree. */
  public Verdict verdict() {
    Verdict v = forms.stream().map(FormReport::verdict).reduce(Verdict.PASSED, Verdict::and);
    return opinions != null && opinions.disagree() ? Verdict.FAILED : v;
  }

  /**
   * Every case and output of every form that no independent reference judged, with its reason (why
   * the independent reference is missing is {@link #referenceGap()}, said once).
   */
  public List<Unjudged> unjudged() {
    return forms.stream().flatMap(f -> f.parity().unjudged(f.form(), null).stream()).toList();
  }

  /** {@link #referenceGap()} without the evaluator's list of supported operators, or {@code null}. */
  public String shortReferenceGap() {
    if (referenceGap == null) {
      return null;
    }
    int cut = referenceGap.indexOf("; supported: [");
    return cut < 0 ? referenceGap : referenceGap.substring(0, cut);
  }

  /**
   * One form's result.
   *
   * @throws IllegalArgumentException naming the forms there are
   */
  public FormReport form(String name) {
    return forms.stream().filter(f -> f.form().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
        "no form '" + name + "' was verified, expected one of " + forms.stream().map(FormReport::form).toList()));
  }

  /** The largest absolute error of any comparison of any form. */
  public double worstAbsErr() {
    return forms.stream().mapToDouble(f -> f.parity().worstAbsErr()).max().orElse(0);
  }

  /** Whether there is more than the one form {@code model} (headings then name the form). */
  public boolean hasForms() {
    return forms.size() != 1 || !forms.get(0).form().equals(ModelForm.MODEL);
  }

  /** The console text with tables that fit 100 columns: {@link #text(boolean) text(false)}. */
  public String text() {
    return text(false);
  }

  /**
   * The console text: per form, the parity table, each variant's table and summary; then the notes.
   *
   * @param wide every column of the tables ({@link ParityResult#table(boolean)})
   */
  public String text(boolean wide) {
    StringBuilder sb = new StringBuilder();
    for (FormReport f : forms) {
      if (hasForms()) {
        sb.append("form ").append(f.form()).append(":\n");
      }
      sb.append(f.parity().table(wide));
      for (VariantResult v : f.variants()) {
        sb.append("variant ").append(v.variant()).append(" (").append(v.file().getFileName()).append("), budget ")
            .append(v.budget().describe()).append(":\n").append(v.parity().table(wide));
        sb.append(String.format(Locale.ROOT, "variant %s: %s; worst abs err %.3e%n  %,d bytes = %.2f of fp32's %,d;"
            + " djl-ort %.2f ms per pass over %d cases vs fp32 %.2f ms (%.2fx)%n", v.variant(), v.passed() ? "within budget"
            : "OVER BUDGET", v.parity().worstAbsErr(), v.bytes(), v.sizeRatio(), v.fp32Bytes(), v.millis(), f.cases().size(),
            v.fp32Millis(), v.speedup()));
      }
    }
    if (hasForms()) {
      sb.append(String.format(Locale.ROOT, "%s across %d forms%n", verdict().headline(), forms.size()));
    }
    if (opinions != null) {
      sb.append(opinions.describe()).append('\n');
    } else if (weights != null) {
      sb.append(weights.text(100));
    }
    List<Unjudged> unjudged = unjudged();
    if (!unjudged.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "unverified: %d case output%s left unjudged%s%n", unjudged.size(),
          unjudged.size() == 1 ? "" : "s", verdict() == Verdict.UNVERIFIED ? ", so nothing is claimed for them" : ""));
      if (referenceGap != null) {
        sb.append("  no independent reference: ").append(shortReferenceGap()).append('\n');
      }
      unjudged.stream().limit(12).forEach(u -> sb.append("  ").append(u.describe()).append('\n'));
      if (unjudged.size() > 12) {
        sb.append("  … and ").append(unjudged.size() - 12).append(" more (report.json lists them all)\n");
      }
    }
    notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
    return sb.toString();
  }
}

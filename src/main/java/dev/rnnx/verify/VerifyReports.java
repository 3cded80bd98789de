package dev.rnnx.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link VerifyReport} into a folder: {@code report.json} (schema in docs/VERIFY.md),
 * {@code report.html} (one self-contained page with inline SVG error histograms and error-growth
 * plots, no scripts, no network), {@code junit.xml} ({@link JunitReport}: one test case per form,
 * candidate, output and case), and {@code golden/} ({@link GoldenSets}): per form, the inputs and the reference's outputs in ONNX's
 * {@code test_data_set_N/{input,output}_K.pb} layout, beside a copy of the form's ONNX file as
 * {@code model.onnx} ({@code golden/} itself for a sequential model's form {@code model},
 * {@code golden/<form>/} otherwise), which ONNX tooling (onnx's backend test runner,
 * {@code onnx_test_runner}) reads as is. Every entry of {@code report.json} names its form.
 */
public final class VerifyReports {

  /** The {@code schema} value of report.json. */
  public static final String SCHEMA = "rnnx-verify-report/3";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private VerifyReports() {}

  /**
   * Writes every report into {@code dir} (created if needed), after deleting the temporaries an
   * interrupted command left there ({@link AtomicFiles#removeStale}).
   *
   * @return the files written
   * @throws IOException when a file cannot be written
   */
  public static List<Path> write(VerifyReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.removeStale(dir, 2);
    List<Path> written = new ArrayList<>();
    Path json = dir.resolve("report.json");
    AtomicFiles.write(json, JSON.writeValueAsBytes(toJson(report)));
    written.add(json);
    Path html = dir.resolve("report.html");
    AtomicFiles.write(html, HtmlReport.render(report).getBytes(StandardCharsets.UTF_8));
    written.add(html);
    Path junit = dir.resolve("junit.xml");
    AtomicFiles.write(junit, JunitReport.render(report).getBytes(StandardCharsets.UTF_8));
    written.add(junit);
    written.add(GoldenSets.write(report, dir.resolve("golden")));
    return written;
  }

  /** report.json as a JSON-ready tree: one schema whatever the model kind, every entry naming its form. */
  public static Map<String, Object> toJson(VerifyReport r) {
    ParityResult first = r.forms().get(0).parity();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", SCHEMA);
    root.put("subject", r.subject());
    root.put("passed", r.passed());
    root.put("verdict", r.verdict().id());
    List<Map<String, Object>> unjudged = new ArrayList<>();
    for (Unjudged u : r.unjudged()) {
      Map<String, Object> m = formEntry(u.form());
      m.put("case", u.caseName());
      m.put("output", u.output());
      m.put("reason", u.reason());
      unjudged.add(m);
    }
    root.put("unjudged", unjudged);
    root.put("reference_gap", r.referenceGap());
    Map<String, Object> consistency = new LinkedHashMap<>();
    r.forms().forEach(f -> consistency.put(f.form(), f.parity().consistencyCandidates()));
    root.put("consistency_checks", consistency);
    root.put("artifacts", r.opinions() == null ? null : opinions(r.opinions()));
    root.put("weights", r.weights() == null ? null : ArtifactWeights.toJson(r.weights()));
    root.put("forms", r.forms().stream().map(FormReport::form).toList());
    root.put("reference", first.comparisons().isEmpty() ? null : first.comparisons().get(0).reference());
    root.put("candidates", first.backendSeconds().keySet().stream().skip(1).toList());
    Map<String, Object> criteria = new LinkedHashMap<>();
    criteria.put("default", criterion(first.criteria().defaults()));
    Map<String, Object> per = new LinkedHashMap<>();
    first.criteria().perOutput().forEach((k, v) -> per.put(k, criterion(v)));
    criteria.put("per_output", per);
    criteria.put("rule", "Polygraphy's CompareFunc.simple: elemwise fails an element only when |c-r| > atol and"
        + " |c-r|/|r| > rtol (r = 0 taken as 2.22e-16; a NaN error always fails); max/mean/median/quantile compare that"
        + " statistic of the absolute errors with atol and of the relative errors with rtol, failing when both exceed");
    root.put("criteria", criteria);
    List<Map<String, Object>> comparisons = new ArrayList<>();
    List<Map<String, Object>> cases = new ArrayList<>();
    List<Map<String, Object>> nonFinite = new ArrayList<>();
    Map<String, Object> backendErrors = new LinkedHashMap<>();
    Map<String, Object> backendSeconds = new LinkedHashMap<>();
    List<Map<String, Object>> divergences = new ArrayList<>();
    List<Map<String, Object>> growth = new ArrayList<>();
    List<Map<String, Object>> variants = new ArrayList<>();
    List<Map<String, Object>> shapes = new ArrayList<>();
    for (FormReport f : r.forms()) {
      ParityResult p = f.parity();
      comparisons.addAll(summaries(f.form(), p));
      for (ElementwiseComparison e : p.comparisons()) {
        cases.add(caseJson(f.form(), e));
      }
      for (NonFiniteValue v : p.nonFinite()) {
        Map<String, Object> m = formEntry(f.form());
        m.put("backend", v.backend());
        m.put("case", v.caseName());
        m.put("output", v.output());
        m.put("index", v.index());
        m.put("value", String.valueOf(v.value()));
        m.put("count", v.count());
        nonFinite.add(m);
      }
      backendErrors.put(f.form(), p.backendErrors());
      backendSeconds.put(f.form(), p.backendSeconds());
      for (Divergence d : p.divergences()) {
        divergences.add(divergence(f.form(), d));
      }
      growth.addAll(errorGrowth(f));
      variants.addAll(variants(f));
      for (ParityCase c : f.cases()) {
        Map<String, Object> m = formEntry(f.form());
        m.put("name", c.name());
        Map<String, Object> sh = new LinkedHashMap<>();
        c.inputs().forEach((k, v) -> sh.put(k, v.shape()));
        m.put("shapes", sh);
        shapes.add(m);
      }
    }
    root.put("comparisons", comparisons);
    root.put("cases", cases);
    root.put("non_finite", nonFinite);
    root.put("backend_errors", backendErrors);
    root.put("backend_seconds", backendSeconds);
    root.put("divergences", divergences);
    root.put("error_growth", growth);
    root.put("variants", variants);
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("source", r.inputSource());
    inputs.put("cases", shapes);
    root.put("inputs", inputs);
    root.put("notes", r.notes());
    root.put("timings_seconds", r.timings());
    root.put("versions", r.versions());
    return root;
  }

  private static Map<String, Object> opinions(ArtifactOpinions o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("disagree", o.disagree());
    m.put("onnx", o.onnx());
    m.put("saved_model", o.savedModel());
    m.put("with_onnx", o.withOnnx());
    m.put("with_saved_model", o.withSavedModel());
    m.put("with_neither", o.withNeither());
    m.put("max_abs_err", o.maxAbsErr());
    m.put("weights", o.weights());
    m.put("message", o.describe());
    return m;
  }

  private static Map<String, Object> formEntry(String form) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("form", form);
    return m;
  }

  private static Map<String, Object> caseJson(String form, ElementwiseComparison e) {
    Map<String, Object> c = formEntry(form);
    c.put("case", e.caseName());
    c.put("reference", e.reference());
    c.put("candidate", e.candidate());
    c.put("output", e.output());
    c.put("passed", e.passed());
    c.put("check", ParityResult.isConsistencyCheck(e) ? "consistency" : "parity");
    c.put("max_abs_err", e.maxAbsErr());
    c.put("max_rel_err", e.maxRelErr());
    c.put("failing_elements", e.failing());
    c.put("elements", e.elements());
    if (e.problem() != null) {
      c.put("problem", e.problem());
    }
    if (e.stats() != null) {
      c.put("stats", stats(e.stats()));
    }
    return c;
  }

  private static Map<String, Object> divergence(String form, Divergence d) {
    Map<String, Object> m = formEntry(form);
    m.put("candidate", d.candidate());
    m.put("case", d.caseName());
    m.put("layer", d.layer());
    m.put("layer_index", d.layerIndex());
    m.put("value", d.value());
    m.put("sequence", d.sequence());
    m.put("step", d.step());
    m.put("length", d.length());
    m.put("gates", d.gates());
    m.put("max_abs_err", d.maxAbsErr());
    m.put("step_errors", d.stepErrors());
    m.put("message", d.message());
    return m;
  }

  /** Per (reference, candidate, output) over all cases, as {@code comparisons[]}. */
  static List<Map<String, Object>> summaries(String form, ParityResult p) {
    List<Map<String, Object>> comparisons = new ArrayList<>();
    for (PairSummary s : p.summaries()) {
      Map<String, Object> c = formEntry(form);
      c.put("reference", s.reference());
      c.put("candidate", s.candidate());
      c.put("output", s.output());
      c.put("passed", s.passed());
      c.put("check", BackendKind.independent(s.reference(), s.candidate()) ? "parity" : "consistency");
      c.put("cases", s.cases());
      c.put("cases_passed", s.casesPassed());
      c.put("max_abs_err", s.maxAbsErr());
      c.put("max_rel_err", s.maxRelErr());
      c.put("mean_abs_err", s.meanAbsErr());
      c.put("median_abs_err", s.medianAbsErr());
      c.put("quantile_abs_err", s.quantileAbsErr());
      c.put("max_ulp", s.maxUlp() == Long.MAX_VALUE ? null : s.maxUlp());
      c.put("min_cosine", s.minCosine());
      c.put("required_atol", s.requiredAtol());
      c.put("required_rtol", s.requiredRtol());
      c.put("required_atol_at_rtol", s.requiredAtolAtRtol());
      c.put("required_rtol_at_atol", s.requiredRtolAtAtol());
      c.put("argmax_agreement", s.argmaxAgreement());
      c.put("topk_agreement", s.topKAgreement());
      c.put("sequence_agreement", s.sequenceAgreement());
      comparisons.add(c);
    }
    return comparisons;
  }

  /** {@code variants[]}: each lightweight variant's budget, parity, size and speed. */
  private static List<Map<String, Object>> variants(FormReport f) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (VariantResult v : f.variants()) {
      Map<String, Object> m = formEntry(f.form());
      m.put("variant", v.variant().id());
      m.put("file", v.file().toString());
      m.put("passed", v.passed());
      m.put("budget", criterion(v.budget()));
      m.put("worst_abs_err", v.parity().worstAbsErr());
      m.put("bytes", v.bytes());
      m.put("fp32_bytes", v.fp32Bytes());
      m.put("size_ratio", v.sizeRatio());
      m.put("millis_per_pass", v.millis());
      m.put("fp32_millis_per_pass", v.fp32Millis());
      m.put("speedup", v.speedup());
      m.put("comparisons", summaries(f.form(), v.parity()));
      m.put("backend_errors", v.parity().backendErrors());
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> criterion(Criterion c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("atol", c.atol());
    m.put("rtol", c.rtol());
    m.put("check_error_stat", c.stat().cliName());
    m.put("error_quantile", c.quantile());
    m.put("infinities_compare_equal", c.infinitiesCompareEqual());
    return m;
  }

  private static Map<String, Object> stats(ErrorStats s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("abs", Map.of("max", s.maxAbs(), "mean", s.meanAbs(), "median", s.medianAbs(), "quantile", s.quantileAbs()));
    m.put("rel", Map.of("max", s.maxRel(), "mean", s.meanRel(), "median", s.medianRel(), "quantile", s.quantileRel()));
    m.put("quantile", s.quantile());
    m.put("max_ulp", s.maxUlp());
    m.put("median_ulp", s.medianUlp());
    m.put("cosine", s.cosine());
    m.put("required_atol", s.requiredAtol());
    m.put("required_rtol", s.requiredRtol());
    m.put("required_atol_at_rtol", s.requiredAtolAtRtol());
    m.put("required_rtol_at_atol", s.requiredRtolAtAtol());
    m.put("histogram", Map.of("bins", List.of(ErrorStats.HISTOGRAM_BINS), "counts", s.histogram()));
    if (!Double.isNaN(s.argmaxAgreement())) {
      m.put("argmax_agreement", s.argmaxAgreement());
      m.put("topk_agreement", s.topKAgreement());
      m.put("topk", s.topK());
      m.put("sequence_agreement", s.sequenceAgreement());
    }
    if (s.perStep().length > 0) {
      m.put("per_step_max_abs_err", s.perStep());
    }
    return m;
  }

  /** The largest error of each (candidate, output) per case, with the case's sequence length. */
  static List<Map<String, Object>> errorGrowth(FormReport r) {
    Map<String, List<Map<String, Object>>> groups = new LinkedHashMap<>();
    Map<String, Integer> lengths = new LinkedHashMap<>();
    for (ParityCase c : r.cases()) {
      lengths.put(c.name(), sequenceLength(c));
    }
    for (ElementwiseComparison e : r.parity().comparisons()) {
      Map<String, Object> point = new LinkedHashMap<>();
      point.put("case", e.caseName());
      point.put("length", lengths.getOrDefault(e.caseName(), -1));
      point.put("max_abs_err", e.maxAbsErr());
      groups.computeIfAbsent(e.candidate() + "\u0000" + e.output(), k -> new ArrayList<>()).add(point);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    groups.forEach((k, points) -> {
      String[] parts = k.split("\u0000");
      Map<String, Object> m = formEntry(r.form());
      m.put("candidate", parts[0]);
      m.put("output", parts[1]);
      m.put("points", points);
      out.add(m);
    });
    return out;
  }

  /** A case's sequence length: axis 1 of its first input of rank 2 or more, else -1. */
  static int sequenceLength(ParityCase c) {
    for (Tensor t : c.inputs().values()) {
      if (t.rank() >= 2) {
        return (int) t.dim(1);
      }
    }
    return -1;
  }

  static String shape(long[] s) {
    return Arrays.toString(s);
  }
}

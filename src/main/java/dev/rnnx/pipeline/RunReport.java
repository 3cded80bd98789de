package dev.rnnx.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.spec.Recipe;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.verify.ElementwiseComparison;
import dev.rnnx.verify.PairSummary;
import dev.rnnx.verify.ParityResult;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code run} produced: training figures, artifacts, parity and timings. Written as
 * {@code report.json}; the keys are documented in README.md.
 *
 * @param recipe the recipe
 * @param training what training produced
 * @param parity the parity result
 * @param timings wall seconds per stage
 * @param versions library versions
 * @param artifacts the output folder
 */
public record RunReport(
    Recipe recipe,
    TrainingResult training,
    ParityResult parity,
    Map<String, Double> timings,
    Map<String, String> versions,
    RunArtifacts artifacts) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Whether parity held. */
  public boolean passed() {
    return parity.passed();
  }


  /** The report as a JSON-ready tree. */
  public Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("recipe", recipe.name());
    root.put("seed", recipe.seed());
    root.put("passed", passed());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("loss_function", recipe.training().loss().recipeName());
    t.put("final_loss", training.finalLoss());
    t.put("final_validation_loss", training.finalValidationLoss());
    Map<String, Double> finals = new LinkedHashMap<>();
    training.metrics().forEach((k, v) -> finals.put(k, v.get(v.size() - 1)));
    t.put("final_metrics", finals);
    t.put("epochs", training.trainLoss().size());
    t.put("steps", training.steps());
    t.put("seconds", training.seconds());
    t.put("loss", training.trainLoss());
    t.put("validation_loss", training.validationLoss());
    t.put("metrics", training.metrics());
    root.put("training", t);
    Map<String, Object> tolerances = new LinkedHashMap<>();
    tolerances.put("atol", parity.tolerances().atol());
    tolerances.put("rtol", parity.tolerances().rtol());
    tolerances.put("rule", "elementwise: an element fails only when |a-r| > atol and |a-r| > rtol*|r| (Polygraphy)");
    root.put("tolerances", tolerances);
    List<Map<String, Object>> comparisons = new ArrayList<>();
    for (PairSummary s : parity.summaries()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("reference", s.reference());
      c.put("candidate", s.candidate());
      c.put("output", s.output());
      c.put("max_abs_err", s.maxAbsErr());
      c.put("max_rel_err", s.maxRelErr());
      c.put("passed", s.passed());
      c.put("cases", s.cases());
      c.put("cases_passed", s.casesPassed());
      c.put("mean_abs_err", s.meanAbsErr());
      c.put("quantile_abs_err", s.quantileAbsErr());
      c.put("max_ulp", s.maxUlp() == Long.MAX_VALUE ? null : s.maxUlp());
      c.put("min_cosine", s.minCosine());
      c.put("required_atol_at_rtol", s.requiredAtolAtRtol());
      c.put("required_rtol_at_atol", s.requiredRtolAtAtol());
      comparisons.add(c);
    }
    root.put("comparisons", comparisons);
    List<Map<String, Object>> cases = new ArrayList<>();
    for (ElementwiseComparison e : parity.comparisons()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("case", e.caseName());
      c.put("reference", e.reference());
      c.put("candidate", e.candidate());
      c.put("output", e.output());
      c.put("max_abs_err", e.maxAbsErr());
      c.put("max_rel_err", e.maxRelErr());
      c.put("failing_elements", e.failing());
      c.put("elements", e.elements());
      c.put("passed", e.passed());
      if (e.problem() != null) {
        c.put("problem", e.problem());
      }
      cases.add(c);
    }
    root.put("cases", cases);
    List<String> nonFinite = new ArrayList<>();
    parity.nonFinite().forEach(v -> nonFinite.add(v.describe()));
    root.put("non_finite", nonFinite);
    root.put("backend_errors", parity.backendErrors());
    root.put("backend_seconds", parity.backendSeconds());
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("weights", artifacts.dir().relativize(artifacts.weights()).toString());
    files.put("saved_model", artifacts.dir().relativize(artifacts.savedModel()).toString());
    files.put("onnx", artifacts.dir().relativize(artifacts.onnx()).toString());
    files.put("loss_plot", artifacts.dir().relativize(artifacts.lossPlot()).toString());
    root.put("artifacts", files);
    root.put("timings_seconds", timings);
    root.put("versions", versions);
    return root;
  }

  /** Writes {@code report.json} atomically. */
  public void write() throws IOException {
    AtomicFiles.write(artifacts.report(), JSON.writeValueAsBytes(toJson()));
  }
}

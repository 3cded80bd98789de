package dev.rnnx.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
 * @param recipe the recipe name
 * @param seed the recipe seed
 * @param trainLoss training loss per epoch
 * @param validationLoss validation MSE per epoch
 * @param parity the parity result
 * @param timings wall seconds per stage
 * @param versions library versions
 * @param artifacts the output folder
 */
public record RunReport(
    String recipe,
    long seed,
    List<Double> trainLoss,
    List<Double> validationLoss,
    ParityResult parity,
    Map<String, Double> timings,
    Map<String, String> versions,
    RunArtifacts artifacts) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Whether parity held. */
  public boolean passed() {
    return parity.passed();
  }

  /** The last epoch's training loss. */
  public double finalLoss() {
    return trainLoss.get(trainLoss.size() - 1);
  }

  /** The last epoch's validation MSE. */
  public double finalValidationLoss() {
    return validationLoss.get(validationLoss.size() - 1);
  }

  /** The report as a JSON-ready tree. */
  public Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("recipe", recipe);
    root.put("seed", seed);
    root.put("passed", passed());
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("final_loss", finalLoss());
    training.put("final_validation_mse", finalValidationLoss());
    training.put("epochs", trainLoss.size());
    training.put("loss", trainLoss);
    training.put("validation_mse", validationLoss);
    root.put("training", training);
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

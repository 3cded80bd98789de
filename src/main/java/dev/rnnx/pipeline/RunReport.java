package dev.rnnx.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.verify.FormFiles;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.verify.VerifyReports;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@code run} produced, whatever the model kind: training figures, artifacts, the parity
 * of every form, the task check (seq2seq generation, word2vec similarity) and timings. Written as
 * {@code report.json} in one schema ({@value #SCHEMA_VERSION}), documented in README.md.
 *
 * @param recipe the recipe
 * @param training what training produced
 * @param verification the parity of every form
 * @param generation the generation check of a seq2seq model, or {@code null}
 * @param similarity the similarity check of a word2vec model, or {@code null}
 * @param timings wall seconds per stage
 * @param versions library versions
 * @param artifacts the output folder
 * @param data what a data source read and left out, and a forecaster's test scores; empty for generated data
 */
public record RunReport(
    Recipe recipe,
    TrainingResult training,
    VerifyReport verification,
    GenerationCheck.Report generation,
    SimilarityCheck.Report similarity,
    Map<String, Double> timings,
    Map<String, String> versions,
    RunArtifacts artifacts,
    Map<String, Object> data) {

  /** A report without data statistics (generated data). */
  public RunReport(Recipe recipe, TrainingResult training, VerifyReport verification, GenerationCheck.Report generation,
      SimilarityCheck.Report similarity, Map<String, Double> timings, Map<String, String> versions, RunArtifacts artifacts) {
    this(recipe, training, verification, generation, similarity, timings, versions, artifacts, Map.of());
  }

  /** The {@code schema_version} of report.json. */
  public static final int SCHEMA_VERSION = 2;

  /** The parity keys of report.json, shared with {@code verify}'s report ({@link VerifyReports#toJson}). */
  private static final List<String> PARITY_KEYS = List.of("forms", "comparisons", "cases", "non_finite", "backend_errors",
      "backend_seconds", "divergences");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Whether parity held for every form, and every backend agreed on what the model is for. */
  public boolean passed() {
    return verification.passed() && (generation == null || generation.agreed()) && (similarity == null || similarity.agreed());
  }

  /** The report as a JSON-ready tree. */
  public Map<String, Object> toJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema_version", SCHEMA_VERSION);
    root.put("recipe", recipe.name());
    root.put("model_kind", recipe.model().kind());
    root.put("seed", recipe.seed());
    root.put("passed", passed());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("loss_function", recipe.training().loss().recipeName());
    t.put("final_loss", training.finalLoss());
    t.put("final_validation_loss", training.validationLoss().isEmpty() ? null : training.finalValidationLoss());
    Map<String, Double> finals = new LinkedHashMap<>();
    training.metrics().forEach((k, v) -> finals.put(k, v.get(v.size() - 1)));
    t.put("final_metrics", finals);
    t.put("epochs", training.trainLoss().size());
    t.put("steps", training.steps());
    t.put("seconds", training.seconds());
    t.put("epoch_seconds", training.epochSeconds());
    t.put("loss", training.trainLoss());
    t.put("validation_loss", training.validationLoss());
    t.put("metrics", training.metrics());
    root.put("training", t);
    Map<String, Object> tolerances = new LinkedHashMap<>();
    tolerances.put("atol", recipe.tolerances().atol());
    tolerances.put("rtol", recipe.tolerances().rtol());
    tolerances.put("rule", "elementwise: an element fails only when |a-r| > atol and |a-r| > rtol*|r| (Polygraphy)");
    root.put("tolerances", tolerances);
    Map<String, Object> parity = VerifyReports.toJson(verification);
    PARITY_KEYS.forEach(k -> root.put(k, parity.get(k)));
    if (generation != null) {
      root.put("generation", generation(generation));
    }
    if (similarity != null) {
      root.put("similarity", similarity(similarity));
    }
    if (data != null && !data.isEmpty()) {
      root.put("data", data);
    }
    root.put("artifacts", files());
    root.put("timings_seconds", timings);
    root.put("versions", versions);
    return root;
  }

  private Map<String, Object> files() {
    Path dir = artifacts.dir();
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("weights", dir.relativize(artifacts.weights()).toString());
    Map<String, Object> forms = new LinkedHashMap<>();
    for (ModelForm form : recipe.model().forms()) {
      FormFiles f = FormFiles.inRun(dir, recipe.model(), form.name());
      forms.put(form.name(), ordered(new String[] {"onnx", "saved_model"},
          dir.relativize(f.onnx()).toString(), dir.relativize(f.savedModel()).toString()));
    }
    files.put("forms", forms);
    if (Files.isRegularFile(dir.resolve("vocabulary.json"))) {
      files.put("vocabulary", "vocabulary.json");
    }
    files.put("loss_plot", dir.relativize(artifacts.lossPlot()).toString());
    return files;
  }

  private static Map<String, Object> generation(GenerationCheck.Report r) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("examples", r.examples());
    g.put("bleu4", r.bleu());
    g.put("exact_match", r.exactMatch());
    g.put("by_source_length", LengthBuckets.toJson(r.byLength()));
    Map<String, Object> agreement = new LinkedHashMap<>();
    r.backends().forEach((k, c) -> agreement.put(k,
        ordered(new String[] {"identical", "near_ties", "mismatches"}, c[0], c[1], c[2])));
    g.put("agreement_with_ref", agreement);
    g.put("near_ties", r.nearTies());
    g.put("mismatches", r.mismatches());
    return g;
  }

  private static Map<String, Object> similarity(SimilarityCheck.Report r) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (!r.precisionAt5().isEmpty()) {
      s.put("precision_at_5", r.precisionAt5());
      s.put("mean_precision_at_5", r.meanPrecisionAt5());
    }
    s.put("examples", r.examples());
    s.put("neighbours", r.neighbours());
    Map<String, Object> agreement = new LinkedHashMap<>();
    r.backends().forEach((k, c) -> agreement.put(k,
        ordered(new String[] {"identical", "near_tie_swaps", "mismatches"}, c[0], c[1], c[2])));
    s.put("agreement_with_ref", agreement);
    return s;
  }

  /** Keys and values paired in the keys' order (never a hash order, which changes from one JVM to the next). */
  private static Map<String, Object> ordered(String[] keys, Object... values) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], values[i]);
    }
    return m;
  }

  /** Writes {@code report.json} atomically. */
  public void write() throws IOException {
    AtomicFiles.write(artifacts.report(), JSON.writeValueAsBytes(toJson()));
  }
}

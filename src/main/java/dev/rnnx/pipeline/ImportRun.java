package dev.rnnx.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.ImportedTask;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeBudget;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Tolerances;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.tf.TfForms;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.verify.VerifyReports;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code rnnx import}: a model read from another framework's file ({@link ImportedModel}) written
 * as a run folder, as {@code rnnx run} writes one but without training: {@code weights.safetensors}
 * (canonical layout; the recipe, with the source file, its SHA-256, format, framework and version
 * in its {@code data} section, as provenance), {@code saved_model/}, {@code model.onnx}, the parity
 * verification of every form, and {@code import.json}. {@code verify}, {@code export},
 * {@code predict}, {@code summary} and {@code djl.RnnxModel.load} then take the folder like any run
 * folder; {@code rnnx run RECIPE --init-from DIR} fine-tunes it.
 *
 * <pre>{@code
 * ImportedModel m = ModelImports.read(Path.of("model.h5"));
 * ImportRun.Result r = ImportRun.write(m, Path.of("build/imports/model"), ImportRun.DEFAULT_LENGTH, 17, System.out);
 * }</pre>
 */
public final class ImportRun {

  /** The time steps of the parity inputs unless told otherwise. */
  public static final int DEFAULT_LENGTH = 12;

  /** The name of the import summary in the folder. */
  public static final String SUMMARY = "import.json";

  /** The imported model's recipe in the folder, the start of a fine-tuning recipe. */
  public static final String RECIPE = "recipe.yaml";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * What an import wrote.
   *
   * @param recipe the recipe recorded in the folder
   * @param parity the parity verification of the exports
   * @param timings wall seconds per stage
   */
  public record Result(Recipe recipe, VerifyReport parity, Map<String, Double> timings) {

    /** Whether parity held on every backend. */
    public boolean passed() {
      return parity.passed();
    }
  }

  private ImportRun() {}

  /**
   * The recipe of an imported model: its architecture, the data task {@code imported} (the parity
   * length and the provenance), Keras's default training settings (used only by
   * {@code --init-from} runs, which bring their own) and rnnx's default tolerances.
   */
  public static Recipe recipe(ImportedModel m, int length, int opset) {
    String name = m.model().name().replaceAll("[^A-Za-z0-9_.\\-]", "_");
    var s = m.source();
    return new Recipe(name.matches("[A-Za-z0-9].*") ? name : "m" + name,
        "imported from " + s.file().getFileName() + " (" + s.format() + ", " + s.framework() + " " + s.frameworkVersion() + ")", 0,
        m.model(), new ImportedTask(length, s.file().getFileName().toString(), s.sha256(), s.format(), s.framework(),
            s.frameworkVersion()),
        new TrainingSpec(Loss.MSE, OptimizerKind.ADAM, 0.001, 1, 32), new ExportSpec(opset, Math.max(100, length)),
        Tolerances.DEFAULT);
  }

  /** The parity length when none is asked for: the model's fixed time length (a {@code flatten} layer's), else {@link #DEFAULT_LENGTH}. */
  public static int defaultLength(ImportedModel m) {
    return fixedLength(m) ? (int) ((Sequential) m.model()).contract().input(Sequential.INPUT).axes().get(1).size() : DEFAULT_LENGTH;
  }

  private static boolean fixedLength(ImportedModel m) {
    if (m.model() instanceof Sequential s) {
      var axes = s.contract().input(Sequential.INPUT).axes();
      return axes != null && axes.size() > 1 && axes.get(1).size() > 0;
    }
    return false;
  }

  /**
   * Writes the run folder of an imported model and verifies its exports.
   *
   * @param length the time steps of the parity inputs
   * @param opset the ONNX opset
   * @param log receives one line per stage and the parity table
   * @throws IllegalArgumentException when {@code outDir} cannot be used or the model cannot be exported at {@code opset};
   *     nothing is written then
   */
  public static Result write(ImportedModel m, Path outDir, int length, int opset, PrintStream log) throws IOException {
    Recipe recipe = recipe(m, length, opset);
    RecipeBudget.check(recipe, m.source().file().toString());
    RunPipeline.checkOutputDir(outDir);
    OnnxExporter.checkExportable(recipe.model(), opset);
    AtomicFiles.removeStale(outDir, RunPipeline.STALE_DEPTH);
    Map<String, Double> timings = new LinkedHashMap<>();
    long start = System.nanoTime();
    RunArtifacts files = new RunArtifacts(outDir);
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Provenance.libraryVersions(),
        Map.of());
    Files.createDirectories(outDir);
    Safetensors.write(files.weights(), m.weights(), provenance.toMetadata());
    // the recipe to start a fine-tuning recipe from (run RECIPE --init-from DIR): its model section is the import's
    AtomicFiles.writeString(outDir.resolve(RECIPE), provenance.recipeYaml());
    long t = System.nanoTime();
    try (TfForms forms = TfForms.build(recipe.model(), m.weights())) {
      forms.exportSavedModels(files.savedModel(), provenance);
    }
    timings.put("export_saved_model", seconds(t));
    t = System.nanoTime();
    OnnxExporter.write(OnnxExporter.export(recipe.model(), m.weights(), opset, provenance), outDir);
    timings.put("export_onnx", seconds(t));
    log.printf(Locale.ROOT, "exported %s to %s%n", recipe.model().forms().stream().map(f -> f.name()).toList(), outDir);
    t = System.nanoTime();
    // a model of a fixed length (flatten) is verified at that length only; others at 1, the length and 4× it
    VerifyReport parity = fixedLength(m) ? RunPipeline.verifyArtifacts(recipe, m.weights(), outDir, Map.of(ModelForm.MODEL,
        ParityInputs.grid((Sequential) m.model(), List.of(1, 7), List.of(length), recipe.seed())))
        : RunPipeline.verifyArtifacts(recipe, m.weights(), outDir);
    timings.put("verify", seconds(t));
    timings.put("total", seconds(start));
    log.print(parity.text(false));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("schema", "rnnx-import/1");
    json.put("recipe", recipe.name());
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("file", m.source().file().toString());
    source.put("sha256", m.source().sha256());
    source.put("format", m.source().format());
    source.put("framework", m.source().framework());
    source.put("framework_version", m.source().frameworkVersion());
    json.put("source", source);
    json.put("notes", m.notes());
    json.put("parameters", recipe.model().parameters().stream().mapToLong(p -> p.size()).sum());
    json.put("passed", parity.passed());
    json.put("parity", VerifyReports.toJson(parity));
    json.put("timings", timings);
    AtomicFiles.write(outDir.resolve(SUMMARY), JSON.writeValueAsBytes(json));
    return new Result(recipe, parity, timings);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

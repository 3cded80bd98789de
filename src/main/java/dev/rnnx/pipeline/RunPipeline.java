package dev.rnnx.pipeline;

import dev.rnnx.data.Split;
import dev.rnnx.data.TaskData;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingListener;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.DjlBackend;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.verify.ParityResult;
import dev.rnnx.verify.ParityVerifier;
import dev.rnnx.verify.ReferenceBackend;
import dev.rnnx.verify.TfJavaBackend;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Train, export, verify, report: the whole life of one recipe.
 *
 * <pre>{@code
 * Recipe recipe = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
 * RunReport report = RunPipeline.run(recipe, Path.of("build/runs/sine-lstm"), TrainingListener.NONE, System.out);
 * }</pre>
 */
public final class RunPipeline {

  private RunPipeline() {}

  /**
   * Runs the recipe and writes every artifact into {@code outDir}.
   *
   * @param listener training progress callbacks
   * @param log receives one line per stage and the parity table
   * @throws IllegalArgumentException when {@code outDir} cannot be used
   */
  public static RunReport run(Recipe recipe, Path outDir, TrainingListener listener, PrintStream log) throws IOException {
    return run(recipe, outDir, TrainingOptions.builder().listener(listener).build(), log);
  }

  /**
   * Runs the recipe with training options (checkpoints, resumption, periodic evaluation) and
   * writes every artifact into {@code outDir}.
   *
   * @throws IllegalArgumentException when {@code outDir} cannot be used or a checkpoint does not fit
   * @throws TrainingStopped when {@code options} asked training to stop early; nothing is exported
   */
  public static RunReport run(Recipe recipe, Path outDir, TrainingOptions options, PrintStream log) throws IOException {
    checkOutputDir(outDir);
    OnnxExporter.checkExportable(recipe.sequential(), recipe.export().opset());
    Map<String, Double> timings = new LinkedHashMap<>();
    long start = System.nanoTime();
    RunArtifacts files = new RunArtifacts(outDir);

    long t = System.nanoTime();
    Split data = TaskData.generate(recipe.data(), recipe.seed());
    timings.put("data", seconds(t));

    t = System.nanoTime();
    TrainingResult trained = Trainer.train(recipe, data, options);
    if (trained.stop() == TrainingResult.Stop.INTERRUPTED) {
      throw new TrainingStopped(trained.trainLoss().size());
    }
    timings.put("training", seconds(t));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("final_loss", trained.finalLoss());
    metrics.put("final_validation_loss", trained.finalValidationLoss());
    trained.metrics().forEach((k, v) -> metrics.put(k, v.get(v.size() - 1)));
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "trained %d epochs (%d steps) in %.1f s: %s %.5f, validation %.5f",
        trained.trainLoss().size(), trained.steps(), timings.get("training"), recipe.training().loss().recipeName(),
        trained.finalLoss(), trained.finalValidationLoss()));
    trained.metrics().forEach((k, v) -> line.append(String.format(Locale.ROOT, ", %s %.4f", k, v.get(v.size() - 1))));
    log.println(line);
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(),
        Provenance.libraryVersions(), metrics);

    Files.createDirectories(outDir);
    Safetensors.write(files.weights(), trained.weights(), provenance.toMetadata());
    LossPlot.write(files.lossPlot(), recipe.name() + ": loss per epoch", recipe.training().loss().recipeName(),
        trained.trainLoss(), trained.validationLoss());

    try (TfServingModel serving = TfServingModel.build(recipe.sequential(), trained.weights())) {
      t = System.nanoTime();
      serving.exportSavedModel(files.savedModel(), provenance);
      timings.put("export_saved_model", seconds(t));
    }
    t = System.nanoTime();
    OnnxExporter.write(OnnxExporter.export(recipe.sequential(), trained.weights(), recipe.export().opset(), provenance), files.onnx());
    timings.put("export_onnx", seconds(t));
    log.printf(Locale.ROOT, "exported %s and %s%n", files.savedModel(), files.onnx());

    t = System.nanoTime();
    ParityResult parity = verifyArtifacts(recipe, trained.weights(), files);
    timings.put("verify", seconds(t));
    timings.put("total", seconds(start));
    log.print(parity.table());

    RunReport report = new RunReport(recipe, trained, parity, timings, provenance.versions(), files);
    report.write();
    return report;
  }

  /**
   * Verifies a run's exported artifacts against the reference forward of its weights: {@code tf-java}
   * (a live session built from the weights), {@code djl-ort} ({@code model.onnx}) and {@code djl-tf}
   * ({@code saved_model/}), on the recipe's standard parity inputs.
   *
   * @throws IllegalArgumentException when an artifact is missing or not of its kind
   */
  public static ParityResult verifyArtifacts(Recipe recipe, Weights weights, RunArtifacts files) {
    OnnxModels.read(files.onnx());
    Backend reference = new ReferenceBackend(new ReferenceModel(recipe.sequential(), weights));
    List<Backend> candidates = new ArrayList<>();
    try {
      candidates.add(TfJavaBackend.build(recipe.sequential(), weights));
      candidates.add(DjlBackend.onnx(files.onnx(), recipe.sequential()));
      candidates.add(DjlBackend.savedModel(files.savedModel(), recipe.sequential()));
      return ParityVerifier.verify(reference, candidates,
          ParityInputs.standard(recipe.sequential(), recipe.trainingLength(), recipe.seed()), recipe.tolerances());
    } finally {
      candidates.forEach(Backend::close);
    }
  }

  /**
   * Re-verifies a finished run folder: the recipe and seed come from the provenance recorded in
   * its {@code weights.safetensors}.
   *
   * @throws IllegalArgumentException when the folder or one of its artifacts is missing or invalid
   */
  public static ParityResult verifyRun(Path runDir) {
    if (!Files.isDirectory(runDir)) {
      throw new IllegalArgumentException("run folder " + runDir + " does not exist, expected the output folder of 'rnnx run'");
    }
    RunArtifacts files = new RunArtifacts(runDir);
    Safetensors.Contents contents = Safetensors.read(files.weights());
    Provenance provenance;
    try {
      provenance = Provenance.fromMetadata(contents.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(files.weights() + ": " + e.getMessage());
    }
    Recipe recipe = RecipeCodec.parse(provenance.recipeYaml(), files.weights() + " (recorded recipe)");
    return verifyArtifacts(recipe, contents.weights().checkFits(recipe.sequential()), files);
  }

  /** Refuses an output path that is a file or cannot be created, before any work is done. */
  static void checkOutputDir(Path outDir) {
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new IllegalArgumentException("output folder " + outDir + " is an existing file, expected a folder or a new path");
    }
    Path existing = outDir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new IllegalArgumentException("output folder " + outDir + " cannot be created: " + existing + " is not a writable folder");
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

package dev.rnnx.pipeline;

import dev.rnnx.data.ForecastScores;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeBudget;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.tf.TfForms;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingListener;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.FormFiles;
import dev.rnnx.verify.ParityCriteria;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.verify.Verification;
import dev.rnnx.verify.VerifyOptions;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Train, export, verify, report: the whole life of one recipe, one path for every model kind. A
 * model is its forms (a sequential model has one, {@code model}): every form is exported as ONNX
 * and as a SavedModel ({@code model.onnx} and {@code saved_model/} for a sequential model,
 * {@code <form>.onnx} and {@code saved_model/<form>/} otherwise), verified against the reference
 * on {@code tf-java}, {@code djl-ort} and {@code djl-tf} ({@link Verification}), then checked for
 * what the model is for — generated token sequences identical across backends (seq2seq,
 * {@link GenerationCheck}) or neighbours identical across backends (word2vec,
 * {@link SimilarityCheck}) — and reported in {@code report.json} ({@link RunReport}).
 *
 * <pre>{@code
 * Recipe recipe = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
 * RunReport report = RunPipeline.run(recipe, Path.of("build/runs/sine-lstm"), TrainingListener.NONE, System.out);
 * }</pre>
 */
public final class RunPipeline {

  /** Held-out examples decoded by every backend (seq2seq). */
  static final int GENERATION_EXAMPLES = 300;

  /**
   * How deep a run folder holds temporaries: its own entries, {@code checkpoints/} and
   * {@code saved_model/} (a form's SavedModel is built beside it), {@code saved_model/<form>/}.
   */
  static final int STALE_DEPTH = 3;

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
   * writes every artifact into {@code outDir}, the TensorBoard event files in {@code outDir/logs}
   * unless the options name another folder.
   *
   * @throws IllegalArgumentException when {@code outDir} cannot be used or a checkpoint does not fit
   * @throws TrainingStopped when {@code options} asked training to stop early; nothing is exported
   */
  public static RunReport run(Recipe recipe, Path outDir, TrainingOptions options, PrintStream log) throws IOException {
    return run(recipe, outDir, options, log, false);
  }

  /**
   * As {@link #run(Recipe, Path, TrainingOptions, PrintStream)}, the parity tables on {@code log}
   * with every column when {@code wideTables} ({@code rnnx run --wide}), else within 100 columns.
   */
  public static RunReport run(Recipe recipe, Path outDir, TrainingOptions options, PrintStream log, boolean wideTables)
      throws IOException {
    RecipeBudget.check(recipe, recipe.name());
    checkOutputDir(outDir);
    int stale = AtomicFiles.removeStale(outDir, STALE_DEPTH);
    if (stale > 0) {
      log.printf(Locale.ROOT, "removed %d temporary file(s) an interrupted run left in %s%n", stale, outDir);
    }
    Map<String, Double> timings = new LinkedHashMap<>();
    long start = System.nanoTime();
    RunArtifacts files = new RunArtifacts(outDir);

    long t = System.nanoTime();
    RunData data = RunData.of(recipe);
    recipe = data.recipe(); // normalisation layers fitted on the training data
    OnnxExporter.checkExportable(recipe.model(), recipe.export().opset());
    timings.put("data", seconds(t));

    t = System.nanoTime();
    TrainingResult trained = Trainer.train(recipe, data.data(), options.logDir() != null ? options : options.withLogDir(files.logs()));
    if (trained.stop() == TrainingResult.Stop.INTERRUPTED) {
      throw new TrainingStopped(trained.trainLoss().size());
    }
    timings.put("training", seconds(t));
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("final_loss", trained.finalLoss());
    if (!trained.validationLoss().isEmpty()) {
      metrics.put("final_validation_loss", trained.finalValidationLoss());
    }
    trained.metrics().forEach((k, v) -> metrics.put(k, v.get(v.size() - 1)));
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "trained %d epochs (%d steps) in %.1f s: %s %.5f",
        trained.trainLoss().size(), trained.steps(), timings.get("training"), recipe.training().loss().recipeName(),
        trained.finalLoss()));
    if (!trained.validationLoss().isEmpty()) {
      line.append(String.format(Locale.ROOT, ", validation %.5f", trained.finalValidationLoss()));
    }
    trained.metrics().forEach((k, v) -> line.append(String.format(Locale.ROOT, ", %s %.4f", k, v.get(v.size() - 1))));
    log.println(line);
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(),
        Provenance.libraryVersions(), metrics);

    Files.createDirectories(outDir);
    Safetensors.write(files.weights(), trained.weights(), provenance.toMetadata());
    data.writeVocabulary(outDir);
    LossPlot.write(files.lossPlot(), recipe.name() + ": loss per epoch", recipe.training().loss().recipeName(),
        trained.trainLoss(), trained.validationLoss(), trained.metrics());

    t = System.nanoTime();
    try (TfForms forms = TfForms.build(recipe.model(), trained.weights())) {
      forms.exportSavedModels(files.savedModel(), provenance);
    }
    timings.put("export_saved_model", seconds(t));
    t = System.nanoTime();
    OnnxExporter.write(OnnxExporter.export(recipe.model(), trained.weights(), recipe.export().opset(), provenance), outDir);
    timings.put("export_onnx", seconds(t));
    log.printf(Locale.ROOT, "exported %d form(s) %s to %s%n", recipe.model().forms().size(),
        recipe.model().forms().stream().map(f -> f.name()).toList(), outDir);

    t = System.nanoTime();
    VerifyReport parity = verifyArtifacts(recipe, trained.weights(), outDir);
    timings.put("verify", seconds(t));
    log.print(parity.text(wideTables));

    GenerationCheck.Report generation = null;
    SimilarityCheck.Report similarity = null;
    t = System.nanoTime();
    if (recipe.model() instanceof Seq2Seq s) {
      generation = GenerationCheck.check(s, trained.weights(), ((TranslationSplit) data.data()).validation(), outDir,
          GENERATION_EXAMPLES);
      TaskLog.generation(generation, log);
      timings.put("task_check", seconds(t));
    } else if (recipe.model() instanceof Word2Vec w) {
      similarity = SimilarityCheck.check(w, trained.weights(), (CorpusTask) recipe.data(),
          ((dev.rnnx.data.Corpus) data.data()).vocabulary(), outDir);
      TaskLog.similarity(similarity, log);
      timings.put("task_check", seconds(t));
    }
    Map<String, Object> dataReport = new LinkedHashMap<>(data.statistics());
    if (dataReport.get("training") instanceof Map<?, ?> part && part.get("tokens") instanceof Long tokens) {
      dataReport.put("training_tokens_per_second", (double) tokens * trained.trainLoss().size() / timings.get("training"));
    }
    if (data.series() != null) {
      ForecastScores forecast = ForecastCheck.check(recipe.sequential(), trained.weights(), data.series());
      ForecastCheck.log(forecast, log);
      dataReport.put("test_forecast", forecast.toJson());
      dataReport.put("beats_baselines", forecast.beatsBaselines());
      dataReport.put("training_windows_per_second",
          (double) ((dev.rnnx.data.Split) data.data()).train().size() * trained.trainLoss().size() / timings.get("training"));
      timings.put("task_check", seconds(t));
    }
    if (!options.initialSource().isEmpty()) {
      dataReport.put("init_from", options.initialSource());
      log.printf(Locale.ROOT, "fine-tuned from %s%n", options.initialSource().get("folder"));
    }
    timings.put("total", seconds(start));
    RunReport report = new RunReport(recipe, trained, parity, generation, similarity, timings, provenance.versions(), files,
        dataReport);
    report.write();
    if (recipe.model().forms().size() > 1) {
      log.printf(Locale.ROOT, "parity %s across every form and backend%n", report.passed() ? "holds" : "FAILS");
    }
    return report;
  }

  /**
   * Verifies a run's exported forms against the reference forward of its weights: {@code tf-java}
   * (a live session built from the weights), {@code djl-ort} (the ONNX files) and {@code djl-tf}
   * (the SavedModels), on the recipe's standard parity inputs ({@link ParityInputs#standardForms})
   * under its tolerances. ({@code rnnx verify} runs more backends and inputs on the same path.)
   *
   * @throws IllegalArgumentException when an artifact is missing or not of its kind
   */
  public static VerifyReport verifyArtifacts(Recipe recipe, Weights weights, Path dir) {
    return verifyArtifacts(recipe, weights, dir, ParityInputs.standardForms(recipe.model(), recipe.trainingLength(), recipe.seed()));
  }

  /** {@link #verifyArtifacts(Recipe, Weights, Path)} on the given parity inputs, by form name. */
  static VerifyReport verifyArtifacts(Recipe recipe, Weights weights, Path dir,
      java.util.Map<String, List<dev.rnnx.verify.ParityCase>> grid) {
    VerifyOptions options = VerifyOptions.builder()
        .backends(BackendKind.RUN_PIPELINE_CANDIDATES.stream().map(BackendKind::id).toList()).variants(List.of()).build();
    return Verification.verifyModel(recipe.model(), weights, form -> FormFiles.inRun(dir, recipe.model(), form),
        recipe.trainingLength(), recipe.seed(), grid,
        ParityCriteria.of(recipe.tolerances()), options, Verification.runSubject(dir, recipe), EngineBackends.INSTANCE);
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

package dev.rnnx.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rnnx.data.Corpus;
import dev.rnnx.data.TaskData;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.VocabularyFile;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TranslationTask;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.tf.TfForms;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.verify.PairSummary;
import dev.rnnx.verify.ParityResult;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
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
 * The main job for seq2seq and word2vec recipes: train, export every form as ONNX
 * ({@code <form>.onnx}) and SavedModel ({@code saved_model/<form>/}), verify every form across
 * {@code ref}, {@code tf-java}, {@code djl-ort} and {@code djl-tf}, then check what the model is
 * for — generated token sequences identical across backends (seq2seq, with BLEU-4 and exact match
 * by source length), or neighbours identical across backends and precision@5 against the corpus's
 * classes (word2vec) — and write {@code report.json}.
 */
public final class FormsPipeline {

  /** Held-out examples decoded by every backend. */
  static final int GENERATION_EXAMPLES = 300;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FormsPipeline() {}

  /**
   * What a seq2seq or word2vec run produced.
   *
   * @param recipe the recipe
   * @param training what training produced
   * @param forms parity by form
   * @param generation the generation check (seq2seq), or null
   * @param similarity the similarity check (word2vec), or null
   * @param timings wall seconds per stage
   * @param dir the output folder
   */
  public record Outcome(Recipe recipe, TrainingResult training, Map<String, ParityResult> forms, GenerationCheck.Report generation,
      SimilarityCheck.Report similarity, Map<String, Double> timings, Path dir) {

    /** Whether every form's parity held and every backend agreed on the generated outputs. */
    public boolean passed() {
      return forms.values().stream().allMatch(ParityResult::passed) && (generation == null || generation.agreed())
          && (similarity == null || similarity.agreed());
    }
  }

  /** Runs the recipe into {@code outDir}. */
  public static Outcome run(Recipe recipe, Path outDir, TrainingOptions options, PrintStream log) throws IOException {
    RunPipeline.checkOutputDir(outDir);
    OnnxExporter.checkExportable(recipe.model(), recipe.export().opset());
    Map<String, Double> timings = new LinkedHashMap<>();
    long start = System.nanoTime();
    long t = System.nanoTime();
    Object data;
    VocabularyFile vocabulary;
    if (recipe.data() instanceof TranslationTask task) {
      TranslationSplit split = TaskData.translation(task, recipe.seed());
      data = split;
      String tokenization = task instanceof DatesTask ? VocabularyFile.CHARACTERS : VocabularyFile.WORDS;
      vocabulary = new VocabularyFile(tokenization, split.sourceVocabulary(), split.targetVocabulary());
    } else {
      Corpus corpus = TaskData.corpus((CorpusTask) recipe.data(), recipe.seed());
      data = corpus;
      vocabulary = new VocabularyFile(VocabularyFile.WORDS, corpus.vocabulary(), corpus.vocabulary());
    }
    timings.put("data", seconds(t));

    t = System.nanoTime();
    TrainingResult trained = Trainer.train(recipe, data, options);
    timings.put("training", seconds(t));
    if (trained.stop() == TrainingResult.Stop.INTERRUPTED) {
      throw new TrainingStopped(trained.trainLoss().size());
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "trained %d epochs (%d steps) in %.1f s: loss %.5f",
        trained.trainLoss().size(), trained.steps(), timings.get("training"), trained.finalLoss()));
    trained.metrics().forEach((k, v) -> line.append(String.format(Locale.ROOT, ", %s %.4f", k, v.get(v.size() - 1))));
    log.println(line);

    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("final_loss", trained.finalLoss());
    trained.metrics().forEach((k, v) -> metrics.put(k, v.get(v.size() - 1)));
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Provenance.libraryVersions(), metrics);
    Files.createDirectories(outDir);
    RunArtifacts files = new RunArtifacts(outDir);
    Safetensors.write(files.weights(), trained.weights(), provenance.toMetadata());
    vocabulary.write(outDir);
    LossPlot.write(files.lossPlot(), recipe.name() + ": loss per epoch", recipe.training().loss().recipeName(),
        trained.trainLoss(), trained.validationLoss());

    t = System.nanoTime();
    try (TfForms forms = TfForms.build(recipe.model(), trained.weights())) {
      forms.exportSavedModels(files.savedModel(), provenance);
    }
    timings.put("export_saved_model", seconds(t));
    t = System.nanoTime();
    OnnxExporter.writeForms(OnnxExporter.exportForms(recipe.model(), trained.weights(), recipe.export().opset(), provenance), outDir);
    timings.put("export_onnx", seconds(t));
    log.printf(Locale.ROOT, "exported %s forms to %s (<form>.onnx, saved_model/<form>/)%n", recipe.model().forms().size(), outDir);

    t = System.nanoTime();
    Map<String, ParityResult> parity = FormsVerification.verify(recipe, trained.weights(), outDir);
    timings.put("verify", seconds(t));
    parity.forEach((form, r) -> log.print("form " + form + ":\n" + r.table()));

    GenerationCheck.Report generation = null;
    SimilarityCheck.Report similarity = null;
    t = System.nanoTime();
    if (recipe.model() instanceof Seq2Seq s) {
      generation = GenerationCheck.check(s, trained.weights(), ((TranslationSplit) data).validation(), outDir, GENERATION_EXAMPLES);
      log.printf(Locale.ROOT, "greedy generation on %d held-out examples: BLEU-4 %.4f, exact match %.4f%n", generation.examples(),
          generation.bleu(), generation.exactMatch());
      generation.byLength().forEach((k, v) -> log.printf(Locale.ROOT, "  source length %-6s %4.0f examples: BLEU-4 %.4f, exact %.4f%n",
          k, v[0], v[1], v[2]));
      generation.backends().forEach((k, c) -> log.printf(Locale.ROOT, "  %-32s identical %d, near ties %d, mismatches %d%n",
          k, c[0], c[1], c[2]));
      generation.mismatches().forEach(m -> log.println("  MISMATCH " + m));
    } else {
      similarity = SimilarityCheck.check((Word2Vec) recipe.model(), trained.weights(), (CorpusTask) recipe.data(), outDir);
      log.printf(Locale.ROOT, "most_similar precision@5: %.3f overall; %s%n", similarity.meanPrecisionAt5(), similarity.precisionAt5());
      similarity.examples().forEach((w, n) -> log.println("  " + w + " -> " + n));
      similarity.backends().forEach((k, c) -> log.printf(Locale.ROOT, "  %-8s identical %d, near-tie swaps %d, mismatches %d%n",
          k, c[0], c[1], c[2]));
    }
    timings.put("task_check", seconds(t));
    timings.put("total", seconds(start));
    Outcome outcome = new Outcome(recipe, trained, parity, generation, similarity, timings, outDir);
    AtomicFiles.write(files.report(), JSON.writeValueAsBytes(json(outcome, provenance)));
    log.printf(Locale.ROOT, "parity %s across every form and backend%n", outcome.passed() ? "holds" : "FAILS");
    return outcome;
  }

  private static Map<String, Object> json(Outcome o, Provenance provenance) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("recipe", o.recipe().name());
    root.put("model_kind", o.recipe().model().kind());
    root.put("seed", o.recipe().seed());
    root.put("passed", o.passed());
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss_function", o.recipe().training().loss().recipeName());
    training.put("final_loss", o.training().finalLoss());
    training.put("final_validation_loss", o.training().finalValidationLoss());
    training.put("epochs", o.training().trainLoss().size());
    training.put("seconds", o.training().seconds());
    training.put("epoch_seconds", o.training().epochSeconds());
    training.put("loss", o.training().trainLoss());
    training.put("validation_loss", o.training().validationLoss());
    training.put("metrics", o.training().metrics());
    root.put("training", training);
    List<Map<String, Object>> comparisons = new ArrayList<>();
    o.forms().forEach((form, r) -> {
      for (PairSummary s : r.summaries()) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("form", form);
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
      if (!r.backendErrors().isEmpty()) {
        root.computeIfAbsent("backend_errors", k -> new LinkedHashMap<String, Object>());
        @SuppressWarnings("unchecked")
        Map<String, Object> errors = (Map<String, Object>) root.get("backend_errors");
        r.backendErrors().forEach((b, m) -> errors.put(form + "/" + b, m));
      }
    });
    root.put("comparisons", comparisons);
    if (o.generation() != null) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("examples", o.generation().examples());
      g.put("bleu4", o.generation().bleu());
      g.put("exact_match", o.generation().exactMatch());
      Map<String, Object> buckets = new LinkedHashMap<>();
      o.generation().byLength().forEach((k, v) -> buckets.put(k, Map.of("examples", (int) v[0], "bleu4", v[1], "exact_match", v[2])));
      g.put("by_source_length", buckets);
      Map<String, Object> agreement = new LinkedHashMap<>();
      o.generation().backends().forEach((k, c) -> agreement.put(k, Map.of("identical", c[0], "near_ties", c[1], "mismatches", c[2])));
      g.put("agreement_with_ref", agreement);
      g.put("near_ties", o.generation().nearTies());
      g.put("mismatches", o.generation().mismatches());
      root.put("generation", g);
    }
    if (o.similarity() != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("precision_at_5", o.similarity().precisionAt5());
      s.put("mean_precision_at_5", o.similarity().meanPrecisionAt5());
      s.put("examples", o.similarity().examples());
      Map<String, Object> agreement = new LinkedHashMap<>();
      o.similarity().backends().forEach((k, c) -> agreement.put(k, Map.of("identical", c[0], "near_tie_swaps", c[1], "mismatches", c[2])));
      s.put("agreement_with_ref", agreement);
      root.put("similarity", s);
    }
    root.put("timings_seconds", o.timings());
    root.put("versions", provenance.versions());
    return root;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}

package dev.rnnx.verify;

import dev.rnnx.pipeline.EngineBackends;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.TaskData;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No false alarm: every zoo recipe ({@code models/*.yaml}), trained by TensorFlow (for at most
 * {@code rnnx.zoo.epochs} epochs: 1 by default, to keep the default build short;
 * {@code mvn test -Dtest=ZooNoFalseAlarmTest -Drnnx.zoo.epochs=0} trains every recipe in full,
 * about 2 minutes here), exported, and verified on 100 seeded inputs across every backend
 * ({@code tf-java}, {@code djl-ort} at three optimisation levels, {@code djl-tf}, {@code ort} in a
 * child process) at the recipe's tolerances. The inputs vary batch size (1, 2, 5, 8), length (1,
 * T/2, T, 2T, 4T: lengths never seen in training), scale (N(0, 1), gate-saturating N(0, 3²), zeros)
 * and, where the model reads them, mixed lengths and initial states.
 */
class ZooNoFalseAlarmTest {

  static final int INPUTS = 100;

  @Test
  void everyZooRecipeVerifiesCleanOnAHundredSeededInputs(@TempDir Path dir) throws Exception {
    int maxEpochs = Integer.getInteger("rnnx.zoo.epochs", 1);
    List<Path> recipes;
    try (Stream<Path> s = Files.list(Path.of("models"))) {
      recipes = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(recipes.size() >= 8, "the zoo: " + recipes);
    List<String> failures = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    for (Path file : recipes) {
      long t0 = System.nanoTime();
      Recipe full = RecipeCodec.read(file);
      if (!(full.model() instanceof dev.rnnx.spec.Sequential)) {
        continue; // seq2seq and word2vec forms: ZooFormsNoFalseAlarmTest
      }
      TrainingSpec t = full.training();
      Recipe shortened = maxEpochs <= 0 ? full : new Recipe(full.name(), full.description(), full.seed(), full.model(), full.data(),
          new TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), Math.min(t.epochs(), maxEpochs), t.batchSize(),
              t.clipping(), t.accuracy()), full.export(), full.tolerances());
      Object data;
      Recipe recipe;
      if (shortened.data() instanceof dev.rnnx.spec.CsvSeriesTask csv) { // a series file: normalisation fitted on its training rows
        dev.rnnx.data.SeriesWindows series = dev.rnnx.data.SeriesWindows.read(csv);
        recipe = series.fitted(shortened);
        data = series.split();
      } else {
        recipe = shortened;
        data = TaskData.generate(recipe.data(), recipe.seed());
      }
      TrainingResult trained = Trainer.train(recipe, data, TrainingOptions.defaults());
      Weights w = trained.weights();
      Path out = dir.resolve(recipe.name());
      Files.createDirectories(out);
      Provenance prov = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Map.of(), Map.of());
      OnnxExporter.write(OnnxExporter.export(recipe.sequential(), w, recipe.export().opset(), prov).get("model"), out.resolve("model.onnx"));
      try (TfServingModel serving = TfServingModel.build(recipe.sequential(), w)) {
        serving.exportSavedModel(out.resolve("saved_model"), prov);
      }
      double train = (System.nanoTime() - t0) / 1e9;
      List<ParityCase> cases = seededInputs(recipe, INPUTS);
      VerifyReport report = Verification.verifyModel(recipe.sequential(), w, form -> FormFiles.inRun(out, recipe.model(), form),
          recipe.trainingLength(), recipe.seed(), Map.of("model", cases), ParityCriteria.of(recipe.tolerances()),
          VerifyOptions.defaults(), Map.of("kind", "run", "recipe", recipe.name()), EngineBackends.INSTANCE);
      FormReport r = report.form("model");
      double worst = r.parity().worstAbsErr();
      summary.append(String.format(Locale.ROOT, "%-22s epochs %2d  loss %.4f  %d inputs x %d backends  worst abs err %.2e"
          + "  %s  (train+export %.1f s, verify %.1f s)%n", recipe.name(), recipe.training().epochs(), trained.finalLoss(),
          cases.size(), r.parity().backendSeconds().size() - 1, worst, r.passed() ? "clean" : "FALSE ALARM", train,
          report.timings().get("total")));
      summary.append("    backend seconds ").append(r.parity().backendSeconds()).append(" stages ").append(report.timings()).append('\n');
      if (!r.passed()) {
        failures.add(recipe.name() + ":\n" + report.text());
      }
    }
    System.out.print(summary);
    assertTrue(failures.isEmpty(), summary + "\n" + String.join("\n", failures));
  }

  /** {@code count} seeded input sets for a recipe's model. */
  static List<ParityCase> seededInputs(Recipe recipe, int count) {
    int t = recipe.trainingLength();
    int[] batches = {1, 2, 5, 8};
    int[] lengths = {1, Math.max(1, t / 2), t, 2 * t, 4 * t};
    List<ParityCase> cases = new ArrayList<>();
    Random pick = new Random(recipe.seed());
    for (int i = 0; i < count; i++) {
      int batch = batches[i % batches.length];
      int length = lengths[(i / batches.length) % lengths.length];
      int kind = pick.nextInt(10);
      double scale = kind < 7 ? 1.0 : ParityInputs.SATURATING_SCALE;
      Map<String, Tensor> in = new LinkedHashMap<>(ParityInputs.inputs(recipe.sequential(), batch, length,
          new Random(recipe.seed() * 1000 + i), scale));
      String name = "in" + i + "_batch" + batch + "_len" + length;
      if (kind == 9) {
        in.replaceAll((k, v) -> v instanceof FloatTensor f ? FloatTensor.zeros(f.shape()) : v);
        name += "_zeros";
      } else if (scale != 1.0) {
        name += "_sigma3";
      }
      cases.add(new ParityCase(name, in));
    }
    return cases;
  }
}

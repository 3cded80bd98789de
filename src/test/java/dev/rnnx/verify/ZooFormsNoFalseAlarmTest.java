package dev.rnnx.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.TaskData;
import dev.rnnx.djl.DjlModel;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.CorpusTask;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.spec.TranslationTask;
import dev.rnnx.tf.TfForms;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seq2seq and word2vec recipes of the zoo raise no false alarm: each is trained (one epoch by
 * default, {@code -Drnnx.zoo.epochs=0} for the recipe's own), every form is exported, and 100
 * seeded inputs per form go through {@code ref}, {@code tf-java} and {@code djl-ort} under the
 * recipe's tolerances. {@link ZooNoFalseAlarmTest} covers the sequential recipes.
 */
class ZooFormsNoFalseAlarmTest {

  static final int INPUTS = 100;

  @Test
  void everySeq2SeqAndWord2VecRecipeVerifiesCleanOnAHundredSeededInputsPerForm(@TempDir Path dir) throws Exception {
    int maxEpochs = Integer.getInteger("rnnx.zoo.epochs", 1);
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("models"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    List<String> failures = new ArrayList<>();
    StringBuilder summary = new StringBuilder();
    int checked = 0;
    for (Path file : files) {
      Recipe full = RecipeCodec.read(file);
      if (full.model() instanceof Sequential) {
        continue;
      }
      TrainingSpec t = full.training();
      Recipe recipe = maxEpochs <= 0 ? full : new Recipe(full.name(), full.description(), full.seed(), full.model(), full.data(),
          new TrainingSpec(t.loss(), t.optimizer(), t.learningRate(), Math.min(t.epochs(), maxEpochs), t.batchSize(),
              t.clipping(), t.accuracy()), full.export(), full.tolerances());
      Object data = recipe.data() instanceof TranslationTask tt ? TaskData.translation(tt, recipe.seed())
          : TaskData.corpus((CorpusTask) recipe.data(), recipe.seed());
      Weights w = Trainer.train(recipe, data, TrainingOptions.defaults()).weights();
      Path out = dir.resolve(recipe.name());
      OnnxExporter.write(OnnxExporter.export(recipe.model(), w, recipe.export().opset(),
          new Provenance(recipe.name(), "", recipe.seed(), Map.of(), Map.of())), out);
      try (TfForms tf = TfForms.build(recipe.model(), w)) {
        for (ModelForm form : recipe.model().forms()) {
          Random random = new Random(recipe.seed() * 31 + form.name().hashCode());
          List<ParityCase> cases = new ArrayList<>();
          for (int i = 0; i < INPUTS; i++) {
            int batch = 1 + random.nextInt(7);
            int length = 1 + random.nextInt(lengthLimit(recipe));
            cases.add(new ParityCase("input" + i, ParityInputs.forForm(recipe.model(), form, batch, length, random)));
          }
          try (DjlModel ort = DjlModel.loadOnnx(out.resolve(form.name() + ".onnx"))) {
            ParityResult r = ParityVerifier.verify(new FormBackend("ref", ReferenceForms.form(recipe.model(), w, form.name())::run, null),
                List.of(new FormBackend("tf-java", tf.form(form.name())::run, null), new FormBackend("djl-ort", ort::run, null)),
                cases, recipe.tolerances());
            checked += r.comparisons().size();
            summary.append(String.format(Locale.ROOT, "%s/%s: worst %.2e%n", recipe.name(), form.name(), r.worstAbsErr()));
            if (!r.passed()) {
              failures.add(recipe.name() + "/" + form.name() + ":\n" + r.table());
            }
          }
        }
      }
    }
    System.out.print(summary);
    assertTrue(checked > 0, "the zoo has seq2seq and word2vec recipes");
    assertEquals(List.of(), failures, summary.toString());
  }

  private static int lengthLimit(Recipe r) {
    return r.model() instanceof dev.rnnx.spec.Seq2Seq s ? Math.min(s.maxSourceLength(), s.maxTargetLength()) : 10;
  }
}

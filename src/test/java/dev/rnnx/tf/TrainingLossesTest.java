package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.ContextTaggingTask;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MajorityTokensTask;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each loss decreases on a small synthetic task, and the loss and metrics the trainer reports on
 * the validation set equal those computed in Java from the served model's probabilities, with the
 * steps past each sequence's length left out.
 */
class TrainingLossesTest {

  /** Validation loss and metrics recomputed from the serving graph's outputs. */
  private static void checkReportedAgainstServing(Recipe recipe, Split data, TrainingResult result, boolean softmax) {
    Dataset v = data.validation();
    long[] lengths = v.lengths() == null ? null : v.lengths().data();
    try (TfServingModel serving = TfServingModel.build(recipe.sequential(), result.weights())) {
      Map<String, dev.rnnx.spec.Tensor> inputs = new java.util.LinkedHashMap<>(v.inputs());
      if (recipe.sequential().input().lengths() && lengths == null) {
        long[] full = new long[v.size()];
        java.util.Arrays.fill(full, v.length());
        inputs.put("lengths", dev.rnnx.spec.LongTensor.of(full, v.size()));
      }
      FloatTensor p = serving.run(inputs).get("output");
      double expected = JavaLosses.loss(recipe.training().loss(), p, v.y(), lengths);
      assertEquals(expected, result.finalValidationLoss(), 2e-5 * Math.max(1, expected), "validation loss");
      if (recipe.training().accuracy()) {
        double[] m = JavaLosses.metrics(softmax, p, v.y(), lengths);
        assertEquals(m[0], result.finalMetric("val_accuracy"), 1e-6, "val_accuracy");
        assertEquals(m[1], result.finalMetric("val_exact_match"), 1e-6, "val_exact_match");
      }
    }
  }

  @Test
  void binaryCrossEntropyLearnsBinaryAddition() {
    Sequential model = new Sequential("adder", ModelInput.ofFeatures(2), List.of(
        SimpleRnn.builder("rnn", 16).returnSequences(true).build(),
        new TimeDistributed("out", new Dense("inner", 1, Activation.SIGMOID, true))));
    Recipe recipe = TaskFixtures.recipe("adder", 3, model, new BinaryAdditionTask(8, 512, 256), Loss.BINARY_CROSSENTROPY,
        OptimizerKind.ADAM, 0.02, 12, 16, Clipping.NONE, true);
    Split data = new Split(TaskFixtures.binaryAddition(512, 8, 1), TaskFixtures.binaryAddition(256, 8, 2));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    System.out.printf("binary CE (binary addition): loss %.4f -> %.4f, val exact %.3f, %.1f s%n", r.trainLoss().get(0),
        r.finalLoss(), r.finalMetric("val_exact_match"), r.seconds());
    assertTrue(r.finalLoss() < r.trainLoss().get(0) / 4, "train loss " + r.trainLoss());
    assertTrue(r.finalMetric("val_accuracy") > 0.95, "val accuracy " + r.metrics());
    assertEquals(List.of("accuracy", "exact_match", "val_accuracy", "val_exact_match"), List.copyOf(r.metrics().keySet()));
    assertEquals(12, r.metrics().get("val_exact_match").size());
    checkReportedAgainstServing(recipe, data, r, false);
  }

  @Test
  void categoricalCrossEntropyTagsContextWithMaskedLengths() {
    Sequential model = new Sequential("tagger", ModelInput.ofFeatures(1).withLengths(), List.of(
        new Bidirectional("bi", Gru.builder("inner", 8).returnSequences(true).build(), MergeMode.CONCAT),
        new TimeDistributed("hidden", new Dense("inner", 16, Activation.TANH, true)),
        new TimeDistributed("out", new Dense("inner", 3, Activation.SOFTMAX, true))));
    Recipe recipe = TaskFixtures.recipe("tagger", 5, model, new ContextTaggingTask(10, 600, 0.2), Loss.CATEGORICAL_CROSSENTROPY,
        OptimizerKind.ADAM, 0.02, 6, 16, Clipping.NONE, true);
    // Steps past each length hold random targets: a loss that counted them could not fall near 0.
    Split data = new Split(TaskFixtures.contextTagging(480, 10, true, 1), TaskFixtures.contextTagging(120, 10, true, 2));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    System.out.printf("categorical CE (bidirectional tagging, lengths): loss %.4f -> %.4f, val accuracy %.3f, %.1f s%n",
        r.trainLoss().get(0), r.finalLoss(), r.finalMetric("val_accuracy"), r.seconds());
    assertTrue(r.finalLoss() < 0.05, "train loss " + r.trainLoss());
    assertTrue(r.finalMetric("val_accuracy") > 0.99, "val accuracy " + r.metrics());
    checkReportedAgainstServing(recipe, data, r, true);
  }

  @Test
  void categoricalCrossEntropyCountsMajorityTokens() {
    Sequential model = new Sequential("majority", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 6, 8, Initializer.EMBEDDING),
        Lstm.builder("lstm", 16).build(),
        new Dense("out", 3, Activation.SOFTMAX, true)));
    Recipe recipe = TaskFixtures.recipe("majority", 7, model, new MajorityTokensTask(6, 3, 2, 12, 600, 0.2),
        Loss.CATEGORICAL_CROSSENTROPY, OptimizerKind.ADAM, 0.02, 10, 32, Clipping.byGlobalNorm(5), true);
    Split data = new Split(TaskFixtures.majorityTokens(480, 6, 3, 2, 12, 1), TaskFixtures.majorityTokens(120, 6, 3, 2, 12, 2));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    System.out.printf("categorical CE (embedding, lengths): loss %.4f -> %.4f, val accuracy %.3f, %.1f s%n",
        r.trainLoss().get(0), r.finalLoss(), r.finalMetric("val_accuracy"), r.seconds());
    assertTrue(r.finalLoss() < r.trainLoss().get(0) / 2, "train loss " + r.trainLoss());
    assertEquals(r.finalMetric("val_accuracy"), r.finalMetric("val_exact_match"), "one position per example");
    checkReportedAgainstServing(recipe, data, r, true);
  }

  @Test
  void meanSquaredErrorOnMaskedSequences() {
    Sequential model = new Sequential("masked", ModelInput.ofFeatures(1).withLengths(), List.of(
        Gru.builder("gru", 6).returnSequences(true).goBackwards(true).build(),
        new TimeDistributed("out", new Dense("inner", 3, Activation.SOFTMAX, true))));
    Recipe recipe = TaskFixtures.recipe("masked", 9, model, new ContextTaggingTask(10, 300, 0.2), Loss.MSE,
        OptimizerKind.RMSPROP, 0.01, 3, 16, Clipping.byValue(1), true);
    Split data = new Split(TaskFixtures.contextTagging(240, 10, true, 3), TaskFixtures.contextTagging(60, 10, true, 4));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertTrue(r.finalLoss() < r.trainLoss().get(0), "train loss " + r.trainLoss());
    checkReportedAgainstServing(recipe, data, r, true);
  }
}

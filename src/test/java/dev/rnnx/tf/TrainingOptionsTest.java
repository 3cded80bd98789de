package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Periodic evaluation, early stopping, checkpoints and exact resumption. */
class TrainingOptionsTest {

  private static final Split ADDITION = new Split(TaskFixtures.binaryAddition(96, 8, 1), TaskFixtures.binaryAddition(40, 8, 2));

  private static Recipe adder(OptimizerKind optimizer, double lr, int epochs, int batch) {
    Sequential model = new Sequential("adder", ModelInput.ofFeatures(2), List.of(
        Lstm.builder("lstm", 6).returnSequences(true).build(),
        Gru.builder("gru", 5).returnSequences(true).build(),
        new TimeDistributed("out", new Dense("inner", 1, Activation.SIGMOID, true))));
    return TaskFixtures.recipe("adder", 11, model, new BinaryAdditionTask(8, 96, 40), Loss.BINARY_CROSSENTROPY, optimizer, lr,
        epochs, batch, Clipping.byGlobalNorm(1), true);
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void resumingFromACheckpointReachesTheSameWeights(OptimizerKind optimizer, @TempDir Path tmp) throws IOException {
    // batch 20 over 96 examples: a smaller last batch every epoch
    Recipe recipe = adder(optimizer, 0.01, 4, 20);
    TrainingResult whole = Trainer.train(recipe, ADDITION, TrainingOptions.builder().evaluateEvery(7).build());
    Path dir = tmp.resolve("ckpt");
    TrainingResult first = Trainer.train(recipe, ADDITION, TrainingOptions.builder().evaluateEvery(7)
        .checkpointDir(dir).stopAfterEpochs(2).build());
    assertEquals(TrainingResult.Stop.INTERRUPTED, first.stop());
    assertEquals(2, first.epochs());
    assertEquals(10, first.steps());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("checkpoint.json", "epoch-000002.safetensors"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "only the latest checkpoint, nothing temporary");
    }
    List<String> resumedSteps = new ArrayList<>();
    TrainingResult rest = Trainer.train(recipe, ADDITION, TrainingOptions.builder().evaluateEvery(7).resume(dir)
        .checkpointDir(dir).listener(new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {
            resumedSteps.add(epoch + "." + step);
          }

          @Override
          public void onEpoch(int epoch, double trainLoss, double validationLoss) {}
        }).build());
    assertEquals(TrainingResult.Stop.COMPLETED, rest.stop());
    assertEquals("3.1", resumedSteps.get(0), "resumes at the first step of epoch 3");
    assertEquals(10, resumedSteps.size());
    assertEquals(whole.weights(), rest.weights(), optimizer + ": resumed weights differ from an uninterrupted run");
    assertEquals(whole.trainLoss(), rest.trainLoss());
    assertEquals(whole.validationLoss(), rest.validationLoss());
    assertEquals(whole.metrics(), rest.metrics());
    assertEquals(whole.evaluations(), rest.evaluations());
    assertEquals(whole.steps(), rest.steps());
    // the final checkpoint holds the last epoch
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("epoch-000004.safetensors")));
    }
  }

  @Test
  void aCheckpointOfAnotherRunIsRefused(@TempDir Path tmp) {
    Recipe recipe = adder(OptimizerKind.ADAM, 0.01, 2, 32);
    Trainer.train(recipe, ADDITION, TrainingOptions.builder().checkpointDir(tmp).stopAfterEpochs(1).build());
    Recipe otherSeed = new Recipe(recipe.name(), "", recipe.seed() + 1, recipe.sequential(), recipe.data(), recipe.training(),
        recipe.export(), recipe.tolerances());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(otherSeed, ADDITION, TrainingOptions.builder().resume(tmp).build()));
    assertTrue(e.getMessage().contains("another model, training settings, seed or data"), e.getMessage());
    Split otherData = new Split(TaskFixtures.binaryAddition(96, 8, 9), ADDITION.validation());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(recipe, otherData, TrainingOptions.builder().resume(tmp).build()));
    assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(recipe, ADDITION, TrainingOptions.builder().resume(tmp.resolve("nothing")).build()));
    assertTrue(e.getMessage().contains("no checkpoint to resume from"), e.getMessage());
  }

  /** The binary-addition experiment: batch-1 SGD, the held-out set judged every 100 steps, stop at 100 % exact. */
  @Test
  void evaluatesEveryNStepsAndStopsWhenAskedTo() {
    Sequential model = new Sequential("adder", ModelInput.ofFeatures(2), List.of(
        SimpleRnn.builder("rnn", 16).returnSequences(true).build(),
        new TimeDistributed("out", new Dense("inner", 1, Activation.SIGMOID, true))));
    Recipe recipe = TaskFixtures.recipe("adder", 1, model, new BinaryAdditionTask(8, 3000, 1000), Loss.BINARY_CROSSENTROPY,
        OptimizerKind.SGD, 0.1, 1, 1, Clipping.NONE, true);
    Split data = new Split(TaskFixtures.binaryAddition(3000, 8, 1), TaskFixtures.binaryAddition(1000, 8, 2));
    List<Integer> seen = new ArrayList<>();
    List<Map<String, Double>> metrics = new ArrayList<>();
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.builder().evaluateEvery(100)
        .stopWhen(e -> e.metric("exact_match") == 1.0)
        .listener(new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {}

          @Override
          public void onEpoch(int epoch, double trainLoss, double validationLoss) {}

          @Override
          public void onEvaluation(int step, double validationLoss, Map<String, Double> validationMetrics) {
            seen.add(step);
            metrics.add(validationMetrics);
          }
        }).build());
    System.out.printf("binary addition, SimpleRNN(16), batch-1 SGD: 1000 held-out sums all exact after %d steps (%.1f s, %.0f µs/step)%n",
        r.steps(), r.seconds(), r.stepMicros());
    assertEquals(TrainingResult.Stop.CONDITION, r.stop());
    assertTrue(r.steps() < 3000 && r.steps() % 100 == 0, "stopped at step " + r.steps());
    assertEquals(r.steps() / 100, seen.size());
    for (int i = 0; i < seen.size(); i++) {
      assertEquals(100 * (i + 1), seen.get(i));
      assertEquals(r.evaluations().get(i).metrics(), metrics.get(i));
    }
    assertEquals(1.0, r.evaluations().get(r.evaluations().size() - 1).metric("exact_match"));
    assertNotEquals(1.0, r.evaluations().get(0).metric("exact_match"));
    assertEquals(1, r.epochs(), "the partial epoch is reported");
    assertEquals(1.0, r.finalMetric("val_exact_match"));
  }
}

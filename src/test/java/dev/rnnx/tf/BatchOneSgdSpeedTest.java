package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The binary-addition experiment's shape: batch-1 SGD over 8-step sequences of 2 features,
 * hidden 16 or 32, evaluated on 1,000 held-out sums every 100 steps. Measures the time per step.
 */
class BatchOneSgdSpeedTest {

  static final int STEPS = 2000;

  static Recipe recipe(Layer recurrent, int seed) {
    Sequential model = new Sequential("adder", ModelInput.ofFeatures(2), List.of(recurrent,
        new TimeDistributed("out", new Dense("inner", 1, Activation.SIGMOID, true))));
    return TaskFixtures.recipe("adder", seed, model, new BinaryAdditionTask(8, STEPS, 1000), Loss.BINARY_CROSSENTROPY,
        OptimizerKind.SGD, 0.1, 1, 1, Clipping.NONE, true);
  }

  @Test
  void aStepTakesWellUnderAMillisecond() {
    List<String> lines = new ArrayList<>();
    double worst = 0;
    for (int units : new int[] {16, 32}) {
      for (Layer layer : List.<Layer>of(SimpleRnn.builder("rnn", units).returnSequences(true).build(),
          Lstm.builder("rnn", units).returnSequences(true).build(), Gru.builder("rnn", units).returnSequences(true).build())) {
        Recipe recipe = recipe(layer, 1);
        var split = TaskFixtures.split(TaskFixtures.binaryAddition(STEPS, 8, 1), TaskFixtures.binaryAddition(1000, 8, 2));
        long[] evaluation = new long[2]; // [time of the last step, summed evaluation nanos]
        TrainingListener timer = new TrainingListener() {
          @Override
          public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {
            evaluation[0] = System.nanoTime();
          }

          @Override
          public void onEpoch(int epoch, double trainLoss, double validationLoss) {}

          @Override
          public void onEvaluation(int step, double validationLoss, java.util.Map<String, Double> validationMetrics) {
            evaluation[1] += System.nanoTime() - evaluation[0];
          }
        };
        TrainingResult r = Trainer.train(recipe, split, TrainingOptions.builder().evaluateEvery(100).listener(timer).build());
        assertTrue(r.steps() == STEPS);
        lines.add(String.format(Locale.ROOT,
            "%-10s H=%d: %.0f µs/step; evaluating 1,000 held-out sums %.1f ms; %.1f s for %d steps, graph and evaluations included",
            layer.kind(), units, r.stepMicros(), evaluation[1] / 1e6 / (STEPS / 100), r.seconds(), STEPS));
        worst = Math.max(worst, r.stepMicros());
      }
    }
    lines.forEach(System.out::println);
    assertTrue(worst < 5000, "a batch-1 SGD step took " + worst + " µs");
  }
}

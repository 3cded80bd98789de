package dev.rnnx.experiment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Split;
import dev.rnnx.data.TaskData;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.tf.Trainer;
import dev.rnnx.tf.TrainingOptions;
import dev.rnnx.tf.TrainingResult;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The replay's true-gradient mode is plain SGD on ½ Σ (y − d)², the same update TensorFlow makes. */
class SeedCodeReplicaTest {

  @Test
  void trueGradientStepEqualsTensorFlowsStep() {
    for (int variant : new int[] {0, 7, 8}) {
      Recipe base = RecipeCodec.read(Path.of("models/binary-addition.yaml"));
      Recipe recipe = BinaryAdditionExperiment.withSeedAndSteps(BinaryAdditionExperiment.grid().get(variant).change().apply(base), 3, 1);
      Split data = TaskData.generate(recipe.data(), recipe.seed());
      TrainingResult tf = Trainer.train(recipe, data, TrainingOptions.defaults());
      Weights initial = Trainer.initialWeights(recipe);
      Weights replay = SeedCodeReplica.train(recipe, data, SeedCodeReplica.Gradient.TRUE, 100, initial).weights();
      double worst = 0;
      double moved = 0;
      for (String name : replay.names()) {
        float[] a = tf.weights().get(name).data();
        float[] b = replay.get(name).data();
        float[] c = initial.get(name).data();
        for (int i = 0; i < a.length; i++) {
          worst = Math.max(worst, Math.abs(a[i] - b[i]));
          moved = Math.max(moved, Math.abs(a[i] - c[i]));
        }
      }
      System.out.printf("variant %d: one SGD step moved weights by up to %.3e; TF and replay differ by %.3e%n", variant, moved, worst);
      assertTrue(moved > 1e-4, "the step changed the weights");
      assertTrue(worst < 1e-5 * Math.max(1, moved), "variant " + variant + ": TF and the replay differ by " + worst);
    }
  }
}

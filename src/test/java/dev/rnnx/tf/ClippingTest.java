package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradient clipping acts on the first SGD step exactly as {@link Clipping} defines it. One step
 * (one batch holding every example) with plain SGD moves each weight by {@code −lr · g'}: the
 * unclipped run gives {@code g}, the clipped run must give {@code g' = clip(g)}.
 */
class ClippingTest {

  private static final double LR = 1.0;
  private static final Sequential MODEL = new Sequential("clip", ModelInput.ofFeatures(2), List.of(
      Gru.builder("gru", 4).returnSequences(true).build(),
      new TimeDistributed("out", new Dense("inner", 1, Activation.SIGMOID, true))));
  private static final Split DATA = new Split(TaskFixtures.binaryAddition(64, 8, 1), TaskFixtures.binaryAddition(8, 8, 2));

  private static Recipe recipe(Clipping clipping) {
    return TaskFixtures.recipe("clip", 4, MODEL, new BinaryAdditionTask(8, 64, 8), Loss.BINARY_CROSSENTROPY, OptimizerKind.SGD,
        LR, 1, 64, clipping, false);
  }

  /** Every weight's change in the one step, flattened in parameter order, exact in double. */
  private static double[] step(Clipping clipping) {
    Weights before = InitialWeights.generate(MODEL, Seeds.derive(4, Seeds.INITIAL_WEIGHTS));
    Weights after = Trainer.train(recipe(clipping), DATA, TrainingOptions.defaults()).weights();
    double[] delta = new double[(int) MODEL.parameterCount()];
    int k = 0;
    for (String name : before.names()) {
      float[] a = before.get(name).data();
      float[] b = after.get(name).data();
      for (int i = 0; i < a.length; i++) {
        delta[k++] = (double) b[i] - a[i];
      }
    }
    return delta;
  }

  @Test
  void byValueClipsEachElement() {
    double[] free = step(Clipping.NONE);
    // a tiny threshold: every update becomes lr · threshold · sign(−g)
    double tiny = 1e-5;
    double[] clipped = step(Clipping.byValue(tiny));
    int clippedCount = 0;
    for (int i = 0; i < free.length; i++) {
      double g = -free[i] / LR;
      if (Math.abs(g) > tiny) {
        assertEquals(-LR * tiny * Math.signum(g), clipped[i], 1e-7, "element " + i + " with gradient " + g);
        clippedCount++;
      } else {
        assertEquals(free[i], clipped[i], 1e-7, "element " + i + " under the threshold");
      }
    }
    assertTrue(clippedCount > free.length * 9 / 10, clippedCount + " of " + free.length + " clipped");
    // the median |g| as threshold: half clipped, half untouched
    double[] magnitudes = Arrays.stream(free).map(Math::abs).sorted().toArray();
    double median = magnitudes[magnitudes.length / 2] / LR;
    clipped = step(Clipping.byValue(median));
    for (int i = 0; i < free.length; i++) {
      double g = -free[i] / LR;
      assertEquals(-LR * Math.max(-median, Math.min(median, g)), clipped[i], 1e-7, "element " + i);
    }
  }

  @Test
  void byGlobalNormScalesEveryGradientTogether() {
    double[] free = step(Clipping.NONE);
    double norm = Math.sqrt(Arrays.stream(free).map(d -> d * d).sum()) / LR;
    double threshold = norm / 10;
    double[] clipped = step(Clipping.byGlobalNorm(threshold));
    double clippedNorm = Math.sqrt(Arrays.stream(clipped).map(d -> d * d).sum()) / LR;
    assertEquals(threshold, clippedNorm, threshold * 1e-4, "global norm after clipping");
    for (int i = 0; i < free.length; i++) {
      assertEquals(free[i] * threshold / norm, clipped[i], 1e-7, "element " + i + " keeps its direction");
    }
    // above the norm nothing changes
    assertEquals(Trainer.train(recipe(Clipping.NONE), DATA, TrainingOptions.defaults()).weights(),
        Trainer.train(recipe(Clipping.byGlobalNorm(norm * 2)), DATA, TrainingOptions.defaults()).weights());
  }
}

package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SineTask;
import dev.rnnx.spec.TimeDistributed;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Training a model whose input is masked (Keras's {@code Masking}): the training graph compacts the
 * unmasked steps as serving does, so the loss falls and the validation loss the trainer reports is
 * the one the served (Keras-exact) model gives.
 */
class MaskedTrainingTest {

  /** Rows of values in 0.5 … 1.5 with 0 (masked) at random steps, mid-sequence included; target: the mean of the unmasked values. */
  static Dataset meanOfUnmasked(int n, int length, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * length];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      int kept = 0;
      for (int t = 0; t < length; t++) {
        boolean masked = t > 0 && random.nextDouble() < 0.4;
        float v = masked ? 0f : (float) (0.5 + random.nextDouble());
        x[i * length + t] = v;
        sum += v;
        kept += masked ? 0 : 1;
      }
      y[i] = (float) (sum / kept);
    }
    return new Dataset(FloatTensor.of(x, n, length, 1), FloatTensor.of(y, n, 1));
  }

  @Test
  void aMaskedModelTrainsAndReportsTheServedLoss() {
    Sequential model = new Sequential("masked_mean", ModelInput.ofFeatures(1).withMask(0), List.of(
        Lstm.builder("lstm", 8).build(), new Dense("dense", 1, Activation.LINEAR, true)));
    Recipe recipe = TaskFixtures.recipe("masked_mean", 5, model, new SineTask(10, 200, 20, 0, 0.25), Loss.MSE,
        OptimizerKind.ADAM, 0.02, 6, 16, Clipping.NONE, false);
    Split data = new Split(meanOfUnmasked(200, 10, 1), meanOfUnmasked(60, 10, 2));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertTrue(r.finalLoss() < r.trainLoss().get(0) / 2, "train loss " + r.trainLoss());
    try (TfServingModel serving = TfServingModel.build(model, r.weights())) {
      FloatTensor p = serving.run(Map.of(Sequential.INPUT, data.validation().x())).get("output");
      double mse = 0;
      for (int i = 0; i < p.data().length; i++) {
        double d = p.data()[i] - data.validation().y().data()[i];
        mse += d * d;
      }
      assertEquals(mse / p.data().length, r.finalValidationLoss(), 2e-5, "validation loss of the served model");
    }
  }

  @Test
  void aMaskedSequenceOutputIsRefused() {
    Sequential model = new Sequential("masked_tagger", ModelInput.ofFeatures(1).withMask(0), List.of(
        Gru.builder("gru", 4).returnSequences(true).build(), new TimeDistributed("out", new Dense("inner", 3, Activation.SOFTMAX, true))));
    Recipe recipe = TaskFixtures.recipe("masked_tagger", 5, model, new dev.rnnx.spec.ContextTaggingTask(10, 300, 0.2), Loss.MSE,
        OptimizerKind.ADAM, 0.02, 1, 16, Clipping.NONE, false);
    Split data = new Split(TaskFixtures.contextTagging(8, 10, false, 1), TaskFixtures.contextTagging(4, 10, false, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(recipe, data, TrainingOptions.defaults()));
    assertTrue(e.getMessage().contains("layer 'gru' returns the masked sequence"), e.getMessage());
  }
}

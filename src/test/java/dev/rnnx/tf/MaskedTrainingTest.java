package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.GlobalMaxPooling;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Training a model whose input is masked (Keras's {@code Masking}): the training graph compacts the
 * unmasked steps as serving does, so the loss falls and the validation loss the trainer reports is
 * the one the served (Keras-exact) model gives; a sequence output is restored to the original steps
 * as in serving and its loss covers the unmasked steps only, as Keras's output mask weights it.
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
    assertServedValidationLoss(model, r, data);
  }

  /**
   * Pooling after the mask: an average pooling reads it (the mean over the unmasked steps, a
   * time-distributed identity fits the target exactly); a max pooling after a recurrent sequence
   * ignores it and reads every restored step. Training computes both as serving does.
   */
  @ParameterizedTest
  @MethodSource("poolingModels")
  void aPoolingAfterTheMaskTrainsAndReportsTheServedLoss(Sequential model) {
    Recipe recipe = TaskFixtures.recipe(model.name(), 5, model, new SineTask(10, 200, 20, 0, 0.25), Loss.MSE,
        OptimizerKind.ADAM, 0.02, 6, 16, Clipping.NONE, false);
    Split data = new Split(meanOfUnmasked(200, 10, 5), meanOfUnmasked(60, 10, 6));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertTrue(r.finalLoss() < r.trainLoss().get(0) / 2, "train loss " + r.trainLoss());
    assertServedValidationLoss(model, r, data);
  }

  /** The validation loss the trainer reports is the MSE of the served model on the validation rows. */
  private static void assertServedValidationLoss(Sequential model, TrainingResult r, Split data) {
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

  static List<Sequential> poolingModels() {
    ModelInput masked = ModelInput.ofFeatures(1).withMask(0);
    return List.of(
        new Sequential("masked_average", masked, List.of(new TimeDistributed("td", new Dense("d", 1, Activation.LINEAR, true)),
            new GlobalAveragePooling("pool"))),
        new Sequential("masked_max", masked, List.of(Lstm.builder("lstm", 8).returnSequences(true).build(),
            new GlobalMaxPooling("pool"), new Dense("dense", 1, Activation.LINEAR, true))));
  }

  /**
   * Rows of values in 0.5 … 1.5 with 0 (masked) at random steps anywhere, and per-step targets: at an
   * unmasked step the mean m of the unmasked values so far, the value, and 1 − m; at a masked step 5s
   * (which Keras leaves out of the loss, so training must too).
   */
  static Dataset runningMeanOfUnmasked(int n, int length, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * length];
    float[] y = new float[n * length * 3];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      int kept = 0;
      for (int t = 0; t < length; t++) {
        boolean masked = random.nextDouble() < 0.35;
        float v = masked ? 0f : (float) (0.5 + random.nextDouble());
        x[i * length + t] = v;
        sum += v;
        kept += masked ? 0 : 1;
        int at = (i * length + t) * 3;
        y[at] = masked ? 5f : (float) (sum / kept);
        y[at + 1] = masked ? 5f : v;
        y[at + 2] = masked ? 5f : 1f - y[at];
      }
    }
    return new Dataset(FloatTensor.of(x, n, length, 1), FloatTensor.of(y, n, length, 3));
  }

  static List<Layer> sequenceConsumers() {
    return List.of(Gru.builder("rnn", 8).returnSequences(true).build(),
        new Bidirectional("rnn", Gru.builder("inner", 6).returnSequences(true).build(), MergeMode.SUM),
        new Bidirectional("rnn", Lstm.builder("inner", 6).returnSequences(true).goBackwards(true).build(), MergeMode.CONCAT));
  }

  @ParameterizedTest
  @MethodSource("sequenceConsumers")
  void aMaskedSequenceOutputTrainsOnTheUnmaskedStepsAndReportsTheServedLoss(Layer consumer) {
    Sequential model = new Sequential("masked_tagger", ModelInput.ofFeatures(1).withMask(0), List.of(consumer,
        new TimeDistributed("out", new Dense("inner", 3, Activation.LINEAR, true))));
    Recipe recipe = TaskFixtures.recipe("masked_tagger", 5, model, new dev.rnnx.spec.ContextTaggingTask(10, 300, 0.2), Loss.MSE,
        OptimizerKind.ADAM, 0.02, 6, 16, Clipping.NONE, false);
    Split data = new Split(runningMeanOfUnmasked(160, 10, 1), runningMeanOfUnmasked(40, 10, 2));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertTrue(r.finalLoss() < r.trainLoss().get(0) / 2, "train loss " + r.trainLoss());
    try (TfServingModel serving = TfServingModel.build(model, r.weights())) {
      FloatTensor p = serving.run(Map.of(Sequential.INPUT, data.validation().x())).get("output");
      float[] x = ((FloatTensor) data.validation().x()).data();
      double sse = 0;
      int steps = 0;
      for (int i = 0; i < p.data().length; i++) { // the loss Keras computes: the unmasked steps only (the mask weights it)
        if (x[i / 3] != 0f) {
          double d = p.data()[i] - data.validation().y().data()[i];
          sse += d * d;
          steps++;
        }
      }
      assertEquals(sse / steps, r.finalValidationLoss(), 2e-5, "validation loss of the served model over the unmasked steps");
    }
  }
}

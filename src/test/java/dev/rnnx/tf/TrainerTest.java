package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.data.TaskData;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Clipping;
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
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TrainerTest {

  /** A small sine recipe that trains in about a second. */
  static Recipe smallSine(String optimizer, double learningRate, int epochs, String layers) {
    return RecipeCodec.parse("""
        name: small-sine
        seed: 7
        model:
          input: {features: 1}
          layers:
        %s
        data:
          task: sine
          window: 10
          samples: 300
          period: 20.0
          noise: 0.05
        training:
          loss: mse
          optimizer: %s
          learning_rate: %s
          epochs: %d
          batch_size: 16
        """.formatted(layers.indent(4).stripTrailing(), optimizer, learningRate, epochs), "small-sine");
  }

  private static final String LSTM_DENSE = """
      - type: lstm
        units: 8
      - type: dense
        units: 1
      """;

  private static TrainingResult train(Recipe recipe) {
    return Trainer.train(recipe, TaskData.generate(recipe.data(), recipe.seed()), TrainingOptions.defaults());
  }

  @Test
  void lossDecreasesAndListenerSeesEveryStep() {
    Recipe recipe = smallSine("adam", 0.01, 6, LSTM_DENSE);
    Split data = TaskData.generate(recipe.data(), recipe.seed());
    List<String> events = new ArrayList<>();
    TrainingResult result = Trainer.train(recipe, data, TrainingOptions.builder().listener(new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {
        assertTrue(Double.isFinite(batchLoss));
        events.add("step " + epoch + " " + step + "/" + stepsPerEpoch);
      }

      @Override
      public void onEpoch(int epoch, double trainLoss, double validationLoss) {
        events.add("epoch " + epoch);
      }
    }).build());
    int steps = (data.train().size() + 15) / 16;
    assertEquals(6 * (steps + 1), events.size());
    assertEquals("step 1 1/" + steps, events.get(0));
    assertEquals("epoch 6", events.get(events.size() - 1));
    assertEquals(6, result.trainLoss().size());
    assertTrue(result.finalLoss() < result.trainLoss().get(0) / 3,
        "train loss went from " + result.trainLoss().get(0) + " to " + result.finalLoss());
    assertTrue(result.finalValidationLoss() < 0.05, "validation MSE " + result.finalValidationLoss());
    assertEquals(recipe.sequential().parameters().stream().map(p -> p.name()).toList(), result.weights().names());
    result.weights().checkFits(recipe.sequential());
  }

  @Test
  void sameSeedGivesIdenticalWeightsAndOtherSeedDoesNot() {
    Recipe recipe = smallSine("adam", 0.01, 2, LSTM_DENSE);
    TrainingResult a = train(recipe);
    TrainingResult b = train(recipe);
    assertEquals(a.weights(), b.weights(), "two trainings with one seed differ");
    assertEquals(a.trainLoss(), b.trainLoss());
    assertEquals(a.validationLoss(), b.validationLoss());
    Recipe other = new Recipe(recipe.name(), recipe.description(), recipe.seed() + 1, recipe.sequential(), recipe.data(),
        recipe.training(), recipe.export(), recipe.tolerances());
    TrainingResult c = Trainer.train(other, TaskData.generate(recipe.data(), recipe.seed()), TrainingOptions.defaults());
    assertNotEquals(a.weights(), c.weights());
  }

  /** Determinism with every new part in play: embedding, lengths, bidirectional, masking, clipping, metrics. */
  @Test
  void deterministicWithLengthsEmbeddingsBidirectionalAndClipping() {
    Sequential model = new Sequential("majority", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 6, 4, Initializer.EMBEDDING),
        new Bidirectional("bi", Gru.builder("inner", 6).returnSequences(true).build(), MergeMode.SUM),
        Lstm.builder("lstm", 5).goBackwards(true).peephole(true).build(),
        new Dense("out", 3, Activation.SOFTMAX, true)));
    Recipe recipe = TaskFixtures.recipe("majority", 3, model, new MajorityTokensTask(6, 3, 2, 9, 200, 0.2),
        Loss.CATEGORICAL_CROSSENTROPY, OptimizerKind.ADAM, 0.01, 3, 16, Clipping.byValue(0.5), true);
    Split data = new Split(TaskFixtures.majorityTokens(160, 6, 3, 2, 9, 1), TaskFixtures.majorityTokens(40, 6, 3, 2, 9, 2));
    List<Map<String, Double>> epochMetrics = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(int epoch, int step, int stepsPerEpoch, double batchLoss) {}

      @Override
      public void onEpoch(int epoch, double trainLoss, double validationLoss) {}

      @Override
      public void onEpochMetrics(int epoch, Map<String, Double> metrics) {
        epochMetrics.add(metrics);
      }
    };
    TrainingResult a = Trainer.train(recipe, data, TrainingOptions.builder().listener(listener).build());
    TrainingResult b = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertEquals(a.weights(), b.weights());
    assertEquals(a.trainLoss(), b.trainLoss());
    assertEquals(a.metrics(), b.metrics());
    assertEquals(3, epochMetrics.size());
    assertEquals(a.metrics().get("val_accuracy").get(2), epochMetrics.get(2).get("val_accuracy"));
    assertEquals(Set.of("accuracy", "exact_match", "val_accuracy", "val_exact_match"), epochMetrics.get(0).keySet());
  }

  @ParameterizedTest
  @EnumSource(OptimizerKind.class)
  void everyOptimizerTrainsDeterministically(OptimizerKind kind) {
    double lr = switch (kind) {
      case SGD -> 0.3;
      case MOMENTUM -> 0.05;
      case ADAM, RMSPROP -> 0.01;
    };
    Recipe recipe = smallSine(kind.recipeName(), lr, 4, LSTM_DENSE);
    TrainingResult a = train(recipe);
    assertTrue(a.finalLoss() < a.trainLoss().get(0), kind + ": train loss " + a.trainLoss());
    assertEquals(a.weights(), train(recipe).weights(), kind + " is not deterministic");
  }

  @Test
  void trainsAStackedModel() {
    Recipe recipe = smallSine("adam", 0.01, 3, """
        - type: lstm
          units: 6
          return_sequences: true
        - type: lstm
          units: 4
        - type: dense
          units: 1
        """);
    TrainingResult result = train(recipe);
    assertTrue(result.finalLoss() < result.trainLoss().get(0), "train loss " + result.trainLoss());
    assertEquals(List.of("lstm/kernel", "lstm/recurrent_kernel", "lstm/bias", "lstm_1/kernel", "lstm_1/recurrent_kernel",
        "lstm_1/bias", "dense/kernel", "dense/bias"), result.weights().names());
  }

  @Test
  void servingTheTrainedWeightsReproducesTheValidationLoss() {
    Recipe recipe = smallSine("adam", 0.01, 2, LSTM_DENSE);
    Split data = TaskData.generate(recipe.data(), recipe.seed());
    TrainingResult result = Trainer.train(recipe, data, TrainingOptions.defaults());
    try (TfServingModel serving = TfServingModel.build(recipe.sequential(), result.weights())) {
      FloatTensor y = serving.run(Map.of("input", data.validation().x())).get("output");
      assertEquals(result.finalValidationLoss(), mse(y, data.validation().y()), 1e-6);
    }
  }

  @Test
  void initialWeightsDependOnlyOnTheSeed() {
    Recipe recipe = smallSine("sgd", 1e-9, 1, LSTM_DENSE);
    Weights trained = train(recipe).weights();
    Weights initial = InitialWeights.generate(recipe.sequential(), Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));
    // With a negligible learning rate one epoch leaves the weights at their initial values.
    for (String name : initial.names()) {
      float[] a = initial.get(name).data();
      float[] b = trained.get(name).data();
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-6, name + "[" + i + "]");
      }
    }
  }

  @Test
  void rejectsDataThatDoesNotFitTheRecipe() {
    Recipe recipe = smallSine("adam", 0.01, 1, LSTM_DENSE);
    Split good = TaskData.generate(recipe.data(), recipe.seed());
    Split wrongLength = new Split(runningMean(8, 7, 1), good.validation());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.train(recipe, wrongLength, TrainingOptions.defaults()));
    assertTrue(e.getMessage().contains("training inputs are float32 [8, 7, 1]"), e.getMessage());
    Split wrongTargets = new Split(good.train(), runningMean(4, 10, 1));
    e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(recipe, wrongTargets, TrainingOptions.defaults()));
    assertTrue(e.getMessage().contains("validation targets have shape [4, 10, 1]"), e.getMessage());
    float[] x = ((FloatTensor) good.train().x()).data().clone();
    x[3] = Float.NaN;
    Split notFinite = new Split(new Dataset(new FloatTensor(good.train().x().shape(), x), good.train().y()), good.validation());
    e = assertThrows(IllegalArgumentException.class, () -> Trainer.train(recipe, notFinite, TrainingOptions.defaults()));
    assertTrue(e.getMessage().contains("training inputs hold NaN at flat index 3"), e.getMessage());
  }

  @Test
  void divergenceIsReportedNotReturned() {
    Recipe recipe = smallSine("sgd", 1e6, 1, LSTM_DENSE);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(recipe));
    assertTrue(e.getMessage().contains("diverged"), e.getMessage());
  }

  /**
   * The full sine-lstm recipe: the validation MSE it must reach and the time it takes. The noise
   * alone gives an MSE of 0.05² = 0.0025, the floor.
   */
  @Test
  void sineLstmRecipeReachesItsTarget() {
    Recipe recipe = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    long start = System.nanoTime();
    TrainingResult result = train(recipe);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("sine-lstm: %d epochs in %.1f s, final train MSE %.5f, validation MSE %.5f%n",
        recipe.training().epochs(), seconds, result.finalLoss(), result.finalValidationLoss());
    assertTrue(result.finalValidationLoss() < 0.01, "validation MSE " + result.finalValidationLoss());
    assertTrue(seconds < 60, "training took " + seconds + " s");
  }

  private static Dataset runningMean(int n, int time, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * time];
    float[] y = new float[n * time];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int t = 0; t < time; t++) {
        x[i * time + t] = (float) random.nextGaussian();
        sum += x[i * time + t];
        y[i * time + t] = (float) (sum / (t + 1));
      }
    }
    return new Dataset(FloatTensor.of(x, n, time, 1), FloatTensor.of(y, n, time, 1));
  }

  private static double mse(FloatTensor a, FloatTensor b) {
    double s = 0;
    for (int i = 0; i < a.size(); i++) {
      double d = a.data()[i] - b.data()[i];
      s += d * d;
    }
    return s / a.size();
  }
}

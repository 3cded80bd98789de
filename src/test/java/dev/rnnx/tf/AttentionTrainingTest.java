package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.MajorityTokensTask;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TransformerEncoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Sequential Transformer classifier trains through {@link Trainer} like any other model. */
class AttentionTrainingTest {

  @Test
  void aTransformerEncoderLearnsTheMajorityTokenDeterministically() {
    Sequential model = new Sequential("majority_transformer", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 6, 8, Initializer.EMBEDDING), new PositionalEncoding("pe", 9, false),
        new TransformerEncoder("block", 2, 16, 1e-3, false), new GlobalAveragePooling("pool"),
        new Dense("out", 3, Activation.SOFTMAX, true)));
    Recipe recipe = TaskFixtures.recipe("majority", 3, model, new MajorityTokensTask(6, 3, 2, 9, 800, 0.25),
        Loss.CATEGORICAL_CROSSENTROPY, OptimizerKind.ADAM, 0.01, 12, 32, Clipping.NONE, true);
    Split data = new Split(TaskFixtures.majorityTokens(600, 6, 3, 2, 9, 1), TaskFixtures.majorityTokens(200, 6, 3, 2, 9, 2));
    TrainingResult a = Trainer.train(recipe, data, TrainingOptions.defaults());
    System.out.printf("majority tokens, Transformer block: loss %.3f -> %.3f, val accuracy %.3f, %.2f s/epoch%n",
        a.trainLoss().get(0), a.finalLoss(), a.finalMetric("val_accuracy"), a.meanEpochSeconds());
    assertTrue(a.finalLoss() < 0.5 * a.trainLoss().get(0), a.trainLoss().toString());
    assertTrue(a.finalMetric("val_accuracy") > 0.85, a.metrics().toString());
    assertEquals(12, a.epochSeconds().size());
    TrainingResult b = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertEquals(a.weights(), b.weights());
  }

  @Test
  void aRecipeWithAPreNormGeluEncoderTrainsFromItsYaml() {
    Sequential model = new Sequential("majority_prenorm", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 6, 8, Initializer.EMBEDDING), new PositionalEncoding("pe", 9, false),
        new TransformerEncoder("block", 2, 16, 1e-5, false, true, FeedForwardActivation.GELU),
        new LayerNormalization("final_norm", 1e-5, true, true), new GlobalAveragePooling("pool"),
        new Dense("out", 3, Activation.SOFTMAX, true)));
    Recipe built = TaskFixtures.recipe("majority", 3, model, new MajorityTokensTask(6, 3, 2, 9, 200, 0.25),
        Loss.CATEGORICAL_CROSSENTROPY, OptimizerKind.ADAM, 0.01, 4, 32, Clipping.NONE, true);
    String yaml = RecipeCodec.write(built);
    assertTrue(yaml.contains("norm_first: true") && yaml.contains("activation: gelu"), yaml);
    Recipe recipe = RecipeCodec.parse(yaml, "prenorm.yaml");
    assertEquals(built, recipe);
    Split data = new Split(TaskFixtures.majorityTokens(200, 6, 3, 2, 9, 1), TaskFixtures.majorityTokens(64, 6, 3, 2, 9, 2));
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    System.out.printf("majority tokens, pre-norm gelu block: loss %.3f -> %.3f in %d epochs%n", r.trainLoss().get(0), r.finalLoss(),
        r.trainLoss().size());
    assertEquals(4, r.trainLoss().size());
    assertTrue(r.finalLoss() < r.trainLoss().get(0), r.trainLoss().toString());
  }
}

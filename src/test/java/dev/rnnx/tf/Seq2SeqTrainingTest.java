package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.TranslationExamples;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Teacher-forced training of every seq2seq kind on reversing 3–5 letters: the loss falls, the
 * validation sequences come out exactly right, greedy decoding of the trained model agrees, and
 * the training graph's validation loss equals the served {@code training} form's.
 */
class Seq2SeqTrainingTest {

  static Stream<Named<Recipe>> recipes() {
    return Stream.of(
        Named.of("LSTM", TranslationFixtures.recipe("reverse-lstm", 5, TranslationFixtures.rnn(Cell.LSTM, 48, null),
            OptimizerKind.ADAM, 0.01, 12, 32)),
        Named.of("GRU + additive attention", TranslationFixtures.recipe("reverse-gru-att", 5,
            TranslationFixtures.rnn(Cell.GRU, 32, AttentionScore.ADDITIVE), OptimizerKind.ADAM, 0.01, 8, 32)),
        Named.of("Transformer", TranslationFixtures.recipe("reverse-transformer", 5, TranslationFixtures.transformer(32, 1, 4),
            OptimizerKind.ADAM, 0.003, 12, 32)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recipes")
  void learnsToReverseSequences(Recipe recipe) {
    TranslationSplit data = TranslationFixtures.reversalSplit(1500, 200, 3, 5);
    TrainingResult result = Trainer.train(recipe, data, TrainingOptions.defaults());
    System.out.printf("%s: loss %.3f -> %.4f, validation token accuracy %.3f, exact %.3f, %.2f s/epoch (%.0f µs/step)%n",
        recipe.name(), result.trainLoss().get(0), result.finalLoss(), result.finalMetric("val_accuracy"),
        result.finalMetric("val_exact_match"), result.meanEpochSeconds(), result.stepMicros());
    assertTrue(result.finalLoss() < 0.2 * result.trainLoss().get(0), result.trainLoss().toString());
    assertTrue(result.finalMetric("val_exact_match") > 0.9, result.metrics().toString());
    Seq2Seq model = (Seq2Seq) recipe.model();
    try (TfForms forms = TfForms.build(model, result.weights())) {
      double servedLoss = servedLoss(forms.form(ModelForm.TRAINING), data.validation());
      assertEquals(result.finalValidationLoss(), servedLoss, 1e-5 * Math.max(1, servedLoss), "training graph vs served form");
      double greedy = greedyExact(forms.form(ModelForm.GREEDY_DECODER), data.validation());
      System.out.printf("%s: greedy decoding exact on %.3f of the validation set%n", recipe.name(), greedy);
      assertTrue(greedy > 0.9, "greedy exact " + greedy);
    }
  }

  /** The teacher-forced validation loss computed from the served training form's log-probabilities. */
  static double servedLoss(TfForm training, TranslationExamples set) {
    int n = set.size();
    int t = (int) set.target().dim(1);
    long[] input = new long[n * t];
    for (int i = 0; i < n; i++) {
      input[i * t] = SpecialTokens.BOS;
      System.arraycopy(set.target().data(), i * t, input, i * t + 1, t - 1);
    }
    Map<String, Tensor> in = Map.of("source", set.source(), "source_lengths", set.sourceLengths(), "target", LongTensor.of(input, n, t));
    FloatTensor logProbs = training.run(in).get("log_probs");
    int v = (int) logProbs.dim(2);
    double sum = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < set.targetLengths().data()[i]; s++) {
        sum -= logProbs.data()[(i * t + s) * v + (int) set.target().data()[i * t + s]];
        count++;
      }
    }
    return sum / count;
  }

  /** The fraction of examples whose greedy decoding equals the target up to and including EOS. */
  static double greedyExact(TfForm greedy, TranslationExamples set) {
    FloatTensor tokens = greedy.run(Map.of("source", set.source(), "source_lengths", set.sourceLengths())).get("tokens");
    int m = (int) tokens.dim(1);
    int t = (int) set.target().dim(1);
    int exact = 0;
    for (int i = 0; i < set.size(); i++) {
      boolean same = true;
      for (int s = 0; s < set.targetLengths().data()[i]; s++) {
        same &= tokens.data()[i * m + s] == set.target().data()[i * t + s];
      }
      exact += same ? 1 : 0;
    }
    return exact / (double) set.size();
  }

  @Test
  void aSeedGivesTheSameWeightsAndAResumedRunTheSameAsAnUninterruptedOne(@TempDir Path tmp) {
    Recipe recipe = TranslationFixtures.recipe("reverse-att", 9, TranslationFixtures.rnn(Cell.LSTM, 12, AttentionScore.GENERAL),
        OptimizerKind.ADAM, 0.01, 3, 16);
    TranslationSplit data = TranslationFixtures.reversalSplit(120, 30, 2, 4);
    TrainingResult a = Trainer.train(recipe, data, TrainingOptions.defaults());
    TrainingResult b = Trainer.train(recipe, data, TrainingOptions.defaults());
    assertEquals(a.weights(), b.weights());
    assertEquals(a.trainLoss(), b.trainLoss());
    TrainingResult first = Trainer.train(recipe, data, TrainingOptions.builder().checkpointDir(tmp).stopAfterEpochs(2).build());
    assertEquals(TrainingResult.Stop.INTERRUPTED, first.stop());
    TrainingResult resumed = Trainer.train(recipe, data, TrainingOptions.builder().resume(tmp).build());
    assertEquals(a.weights(), resumed.weights());
    assertEquals(a.trainLoss(), resumed.trainLoss());
    assertEquals(a.metrics(), resumed.metrics());
    assertEquals(3, resumed.epochSeconds().size());
  }
}

package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.TranslationExamples;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TransformerStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Time per epoch of the dates experiment's shapes, on random data of the dates task's lengths (sources of
 * 8–18 characters, a fifth of 20–39; targets of 10 characters and EOS): what the three models of the
 * seq2seq experiment cost per epoch here.
 */
class Seq2SeqSpeedTest {

  static final DatesTask DATES = TranslationFixtures.DATES;

  static TranslationExamples datesShaped(int n, long seed) {
    Random random = new Random(seed);
    int s = DATES.maxSourceLength();
    int t = DATES.maxTargetLength();
    long[] source = new long[n * s];
    long[] target = new long[n * t];
    long[] sl = new long[n];
    long[] tl = new long[n];
    List<String> text = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = random.nextDouble() < 0.2 ? 20 + random.nextInt(20) : 8 + random.nextInt(11);
      for (int j = 0; j < len; j++) {
        source[i * s + j] = SpecialTokens.FIRST_TEXT + random.nextInt(DATES.sourceVocabulary() - SpecialTokens.FIRST_TEXT);
      }
      for (int j = 0; j < t - 1; j++) {
        target[i * t + j] = SpecialTokens.FIRST_TEXT + random.nextInt(DATES.targetVocabulary() - SpecialTokens.FIRST_TEXT);
      }
      target[i * t + t - 1] = SpecialTokens.EOS;
      sl[i] = len;
      tl[i] = t;
      text.add("");
    }
    return new TranslationExamples(LongTensor.of(source, n, s), LongTensor.of(sl, n), LongTensor.of(target, n, t),
        LongTensor.of(tl, n), text, text);
  }

  static double secondsPerEpoch(Seq2Seq model, TranslationSplit data, int epochs) {
    Recipe recipe = TranslationFixtures.recipe("speed", 1, model, OptimizerKind.ADAM, 0.001, epochs, 64);
    TrainingResult r = Trainer.train(recipe, data, TrainingOptions.defaults());
    double later = r.epochSeconds().subList(1, r.epochSeconds().size()).stream().mapToDouble(Double::doubleValue).average()
        .orElse(r.epochSeconds().get(0));
    System.out.printf("%-28s %d train / %d validation, batch 64: %.2f s/epoch (first %.2f), %.1f ms/step, %.1f s in all%n",
        model.name(), data.train().size(), data.validation().size(), later, r.epochSeconds().get(0), r.stepMicros() / 1000,
        r.seconds());
    return later;
  }

  @Test
  void datesShapedEpochs() {
    Vocabulary v = Vocabulary.ofCharacters(DatesTask.SOURCE_ALPHABET);
    TranslationSplit data = new TranslationSplit(datesShaped(3000, 1), datesShaped(500, 2), v, v);
    int vs = DATES.sourceVocabulary();
    int vt = DATES.targetVocabulary();
    int ms = DATES.maxSourceLength();
    int mt = DATES.maxTargetLength();
    double total = 0;
    total += secondsPerEpoch(new Seq2Seq("lstm64", vs, vt, 32, new RnnEncoder(Cell.LSTM, 64), new RnnDecoder(Cell.LSTM, 64, null, 0),
        ms, mt), data, 2);
    total += secondsPerEpoch(new Seq2Seq("lstm64_additive32", vs, vt, 32, new RnnEncoder(Cell.LSTM, 64),
        new RnnDecoder(Cell.LSTM, 64, AttentionScore.ADDITIVE, 32), ms, mt), data, 2);
    total += secondsPerEpoch(new Seq2Seq("transformer64x2", vs, vt, 64, new TransformerStack(2, 4, 128, 1e-5),
        new TransformerStack(2, 4, 128, 1e-5), ms, mt), data, 2);
    assertTrue(total > 0);
  }
}

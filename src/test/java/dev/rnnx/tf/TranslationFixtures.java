package dev.rnnx.tf;

import dev.rnnx.data.TranslationExamples;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.data.Vocabulary;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tolerances;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.spec.TransformerStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny synthetic translation tasks built here (the {@code data} package's dates generator is
 * written elsewhere): reversing a short sequence of letters, target = the reversed source + EOS.
 */
final class TranslationFixtures {

  private TranslationFixtures() {}

  /** Letters a … f: ids 4 … 9 on both sides. */
  static final String LETTERS = "abcdef";
  static final Vocabulary VOCABULARY = Vocabulary.ofCharacters(LETTERS);

  /**
   * Examples of reversal: sources of {@code min … max} letters, padded to {@code max}; targets the
   * reversed letters then EOS, padded to {@code max + 1}.
   */
  static TranslationExamples reversal(int n, int min, int max, long seed) {
    Random random = new Random(seed);
    long[] source = new long[n * max];
    long[] target = new long[n * (max + 1)];
    long[] sourceLengths = new long[n];
    long[] targetLengths = new long[n];
    List<String> sourceText = new ArrayList<>();
    List<String> targetText = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = min + random.nextInt(max - min + 1);
      StringBuilder s = new StringBuilder();
      for (int t = 0; t < len; t++) {
        int c = random.nextInt(LETTERS.length());
        source[i * max + t] = SpecialTokens.FIRST_TEXT + c;
        s.append(LETTERS.charAt(c));
      }
      for (int t = 0; t < len; t++) {
        target[i * (max + 1) + t] = source[i * max + len - 1 - t];
      }
      target[i * (max + 1) + len] = SpecialTokens.EOS;
      sourceLengths[i] = len;
      targetLengths[i] = len + 1;
      sourceText.add(s.toString());
      targetText.add(s.reverse().toString());
    }
    return new TranslationExamples(LongTensor.of(source, n, max), LongTensor.of(sourceLengths, n), LongTensor.of(target, n, max + 1),
        LongTensor.of(targetLengths, n), sourceText, targetText);
  }

  static TranslationSplit reversalSplit(int train, int validation, int min, int max) {
    return new TranslationSplit(reversal(train, min, max, 1), reversal(validation, min, max, 2), VOCABULARY, VOCABULARY);
  }

  /** The dates task every recipe here names (recipes check the model's vocabularies and limits against it). */
  static final DatesTask DATES = new DatesTask(100, 0.2, 0.2);

  static Seq2Seq rnn(Cell cell, int units, AttentionScore attention) {
    return new Seq2Seq("reverse_" + cell.recipeName() + (attention == null ? "" : "_" + attention.recipeName()),
        DATES.sourceVocabulary(), DATES.targetVocabulary(), 8, new RnnEncoder(cell, units), new RnnDecoder(cell, units, attention, 16),
        DATES.maxSourceLength(), DATES.maxTargetLength());
  }

  static Seq2Seq transformer(int width, int layers, int heads) {
    return new Seq2Seq("reverse_transformer", DATES.sourceVocabulary(), DATES.targetVocabulary(), width,
        new TransformerStack(layers, heads, 2 * width, 1e-5), new TransformerStack(layers, heads, 2 * width, 1e-5),
        DATES.maxSourceLength(), DATES.maxTargetLength());
  }

  /** A recipe around a seq2seq model, with the dates task's vocabularies and limits; the data come from {@link #reversal}. */
  static Recipe recipe(String name, long seed, Seq2Seq model, OptimizerKind optimizer, double lr, int epochs, int batch) {
    return new Recipe(name, "", seed, model, DATES,
        new TrainingSpec(Loss.CATEGORICAL_CROSSENTROPY, optimizer, lr, epochs, batch, Clipping.byGlobalNorm(5), true),
        new ExportSpec(17, 100), Tolerances.DEFAULT);
  }
}

package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * BLEU-4 against the worked examples in NLTK's {@code nltk/translate/bleu_score.py} docstrings
 * (corpus_bleu, sentence_bleu, modified_precision, brevity_penalty), which follow Papineni et al.
 * (2002); NLTK prints four digits, so the checks bracket them.
 */
class BleuTest {

  static List<String> words(String s) {
    return Arrays.asList(s.split(" "));
  }

  static final List<String> HYP1 = words("It is a guide to action which ensures that the military always obeys the commands of the party");
  static final List<String> REF1A = words("It is a guide to action that ensures that the military will forever heed Party commands");
  static final List<String> REF1B = words(
      "It is the guiding principle which guarantees the military forces always being under the command of the Party");
  static final List<String> REF1C = words("It is the practical guide for the army always to heed the directions of the party");
  static final List<String> HYP2 = words("he read the book because he was interested in world history");
  static final List<String> REF2A = words("he was interested in world history because he read the book");
  static final List<String> HYP_B = words("It is to insure the troops forever hearing the activity guidebook that party direct");

  static void assertPrinted(double printed, double actual) {
    assertTrue(actual >= printed && actual < printed + 1e-4, "NLTK prints " + printed + "…, got " + actual);
  }

  @Test
  void nltkCorpusBleuExample() {
    double corpus = Bleu.corpus(List.of(List.of(REF1A, REF1B, REF1C), List.of(REF2A)), List.of(HYP1, HYP2));
    assertPrinted(0.5920, corpus);
    double s1 = Bleu.corpus(List.of(List.of(REF1A, REF1B, REF1C)), List.of(HYP1));
    double s2 = Bleu.corpus(List.of(List.of(REF2A)), List.of(HYP2));
    assertPrinted(0.5045, s1);
    assertPrinted(0.6223, (s1 + s2) / 2);
    assertTrue(Math.abs(corpus - (s1 + s2) / 2) > 0.02, "corpus BLEU sums statistics, it does not average sentences");
  }

  @Test
  void nltkModifiedPrecisionExamples() {
    List<List<String>> refs = List.of(REF1A, REF1B, REF1C);
    Bleu.Statistics s1 = Bleu.statistics(refs, HYP1);
    Bleu.Statistics s2 = Bleu.statistics(refs, HYP_B);
    assertEquals(17.0 / 18, s1.precision(1), 1e-15); // 0.9444…
    assertEquals(8.0 / 14, s2.precision(1), 1e-15); // 0.5714…
    assertEquals(0.5882352941176471, s1.precision(2), 1e-15);
    assertEquals(1.0 / 13, s2.precision(2), 1e-15); // 0.07692…
    // no trigram or 4-gram of HYP_B matches: without smoothing the standard score is 0
    assertEquals(0, s2.matches()[3]);
    assertEquals(0.0, s2.score());
    // Papineni et al.'s "the the the …": each 'the' is clipped to the two of the richest reference
    Bleu.Statistics the = Bleu.statistics(List.of(words("the cat is on the mat"), words("there is a cat on the mat")),
        words("the the the the the the the"));
    assertEquals(2.0 / 7, the.precision(1), 1e-15);
  }

  @Test
  void brevityPenaltyUsesTheClosestReferenceAndTheShorterOnATie() {
    List<String> a12 = List.of("a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a", "a");
    assertEquals(0.2635971381157267, Bleu.statistics(List.of(repeat(28), repeat(28)), a12).brevityPenalty(), 1e-15);
    Bleu.Statistics close = Bleu.statistics(List.of(repeat(13), repeat(2)), a12);
    assertEquals(13, close.referenceLength());
    assertPrinted(0.9200, close.brevityPenalty());
    Bleu.Statistics tie = Bleu.statistics(List.of(repeat(13), repeat(11)), a12);
    assertEquals(11, tie.referenceLength());
    assertEquals(1.0, tie.brevityPenalty(), "c > r: no penalty");
    assertEquals(1.0, Bleu.statistics(List.of(repeat(12), repeat(15), repeat(17)), a12).brevityPenalty());
  }

  static List<String> repeat(int n) {
    String[] a = new String[n];
    Arrays.fill(a, "a");
    return Arrays.asList(a);
  }

  @Test
  void identicalCorpusScoresOneAndNoFourGramScoresZero() {
    List<List<Long>> refs = List.of(List.of(1L, 2L, 3L, 4L, 5L), List.of(7L, 8L, 9L, 10L));
    assertEquals(1.0, Bleu.corpusSingle(refs, refs), 1e-15);
    assertEquals(1.0, Bleu.exactMatch(refs, refs));
    List<List<Long>> hyps = List.of(List.of(1L, 2L, 3L, 4L, 6L), List.of(7L, 8L, 9L, 10L));
    assertEquals(0.5, Bleu.exactMatch(refs, hyps));
    assertTrue(Bleu.corpusSingle(refs, hyps) > 0);
    assertEquals(0.0, Bleu.corpusSingle(List.of(List.of(1L, 2L, 3L)), List.of(List.of(1L, 2L, 3L))),
        "three tokens have no 4-gram: BLEU-4 is 0 by definition");
    assertEquals(0.0, Bleu.corpusSingle(List.of(List.of(1L, 2L, 3L, 4L)), List.of(List.of(1L, 2L, 3L, 5L))));
    assertEquals(0.0, Bleu.corpusSingle(List.of(List.of(1L)), List.of(List.of())));
    assertThrows(IllegalArgumentException.class, () -> Bleu.corpusSingle(refs, List.of(List.of(1L))));
  }

  @Test
  void idRowsAreReadUpToEos() {
    long[] ids = {1, 5, 6, 0, 7, 2, 8, 9};
    assertEquals(List.of(5L, 6L, 7L), Bleu.tokens(ids, 0, ids.length));
    assertEquals(List.of(7L), Bleu.tokens(ids, 4, 5));
  }
}

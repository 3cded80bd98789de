package dev.rnnx.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnnx.spec.SpecialTokens;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BeamSearch}, {@link Greedy} and {@link SearchOptions} on a hand-made decoder whose probabilities depend only on the last token read. */
class BeamSearchTest {

  static final int A = 4;
  static final int Z = 5;
  static final int EOS = SpecialTokens.EOS;

  /** After BOS: A .5, Z .4, EOS .1; after A: EOS .3, A .35, Z .35; after Z: EOS .9, A .05, Z .05. */
  static final Decoder<Integer> TOY = new Decoder<>() {
    @Override
    public Integer start() {
      return 0;
    }

    @Override
    public Step<Integer> step(Integer readSoFar, int token) {
      double[] p = new double[6];
      if (token == SpecialTokens.BOS) {
        p[A] = 0.5;
        p[Z] = 0.4;
        p[EOS] = 0.1;
      } else if (token == A) {
        p[EOS] = 0.3;
        p[A] = 0.35;
        p[Z] = 0.35;
      } else {
        p[EOS] = 0.9;
        p[A] = 0.05;
        p[Z] = 0.05;
      }
      return new Step<>(Arrays.stream(p).map(Math::log).toArray(), readSoFar + 1);
    }
  };

  @Test
  void widthOneIsGreedyWithTiesToTheLowerId() {
    BeamSearch.Result r = BeamSearch.search(TOY, 1, 0, 3);
    assertArrayEquals(new int[] {A, A, A}, r.best().tokens(), "A, then the A/Z tie goes to A, then max length");
    assertEquals(Math.log(0.5) + 2 * Math.log(0.35), r.best().logProb(), 1e-12);
    assertEquals(1, r.finished().size());
  }

  @Test
  void widthTwoFindsTheLikelierShortSequenceGreedyMisses() {
    BeamSearch.Result r = BeamSearch.search(TOY, 2, 0, 3);
    // step 1 keeps A (.5), Z (.4); step 2 keeps [Z, EOS] (.36, finished) and [A, A] (.175, before [A, Z] by id);
    // step 3 is the last: [A, A, A] and [A, A, Z] (.06125 each) finish, bringing the count to 3
    List<int[]> finished = r.finished().stream().map(Hypothesis::tokens).toList();
    assertEquals(3, finished.size());
    assertArrayEquals(new int[] {Z, EOS}, finished.get(0));
    assertArrayEquals(new int[] {A, A, A}, finished.get(1));
    assertArrayEquals(new int[] {A, A, Z}, finished.get(2));
    assertArrayEquals(new int[] {Z, EOS}, r.best().tokens());
    assertEquals(Math.log(0.36), r.best().score(), 1e-12);
    assertArrayEquals(new long[] {Z, EOS, 0, 0}, r.best().padded(4));
  }

  @Test
  void lengthPenaltyIsGnmtsAndAStrongOneFavoursTheLongerHypothesis() {
    assertEquals(Math.pow(8 / 6.0, 0.6), BeamSearch.lengthPenalty(3, 0.6), 1e-15);
    assertEquals(1.0, BeamSearch.lengthPenalty(1, 0.6), 1e-15);
    // log .36 / (7/6)^α against log .06125 / (8/6)^α: the longer wins once α > ln(2.733…) / ln(8/7) ≈ 7.53
    assertArrayEquals(new int[] {Z, EOS}, BeamSearch.search(TOY, 2, 7.5, 3).best().tokens());
    BeamSearch.Result strong = BeamSearch.search(TOY, 2, 8, 3);
    assertArrayEquals(new int[] {A, A, A}, strong.best().tokens(), "equal scores: the first finished wins");
    assertEquals(Math.log(0.06125) / Math.pow(8 / 6.0, 8), strong.best().score(), 1e-12);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> BeamSearch.search(TOY, 0, 0, 3));
    assertThrows(IllegalArgumentException.class, () -> BeamSearch.search(TOY, 2, -1, 3));
    assertThrows(IllegalArgumentException.class, () -> BeamSearch.search(TOY, 2, 0, 0));
  }

  @Test
  void optionsResolveTheModelsLimitAndEndToken() {
    SearchOptions o = new SearchOptions(2, 0, 0);
    assertEquals(3, o.maxLength(3), "0 means the model's limit");
    assertEquals(2, new SearchOptions(2, 0, 2).maxLength(3));
    assertEquals(3, new SearchOptions(2, 0, 9).maxLength(3), "capped at the limit");
    assertEquals(EOS, o.endToken());
    assertEquals(A, o.withEndToken(A).endToken());
    assertEquals(2, o.withEndToken(A).beamWidth());
    assertArrayEquals(BeamSearch.search(TOY, 2, 0, 3).best().tokens(), BeamSearch.search(TOY, o, 3).best().tokens());
    // ending at A: step 1 keeps A (.5, finished) and Z (.4); step 2 finishes [Z, A] (.02) after [Z, EOS] (.36) lives on
    Hypothesis endsAtA = BeamSearch.search(TOY, o.withEndToken(A), 3).best();
    assertArrayEquals(new int[] {A}, endsAtA.tokens());
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(0, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(1, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> new SearchOptions(1, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> o.withEndToken(-1));
  }

  @Test
  void greedyTakesEachStepsArgmaxAndStopsAtEosOrTheLimit() {
    assertArrayEquals(new int[] {A, A, A}, Greedy.decode(TOY, 3), "the A/Z tie goes to the lower id");
    assertArrayEquals(new int[] {A}, Greedy.decode(TOY, 1));
    assertArrayEquals(BeamSearch.search(TOY, 1, 0, 3).best().tokens(), Greedy.decode(TOY, 3));
    Decoder<Integer> endsAfterZ = new Decoder<>() {
      @Override
      public Integer start() {
        return 0;
      }

      @Override
      public Step<Integer> step(Integer read, int token) {
        double[] p = {0, 0, 0, 0, 0, 0};
        p[read == 0 ? Z : EOS] = 1;
        return new Step<>(Arrays.stream(p).map(Math::log).toArray(), read + 1);
      }
    };
    assertArrayEquals(new int[] {Z, EOS}, Greedy.decode(endsAfterZ, 5), "EOS is kept and ends the output");
    assertThrows(IllegalArgumentException.class, () -> Greedy.decode(TOY, 0));
  }

  @Test
  void followReadsTheGivenTokensFromTheStart() {
    double[][] lp = TOY.follow(SpecialTokens.BOS, Z, A);
    assertEquals(3, lp.length);
    assertEquals(Math.log(0.4), lp[0][Z], 1e-12);
    assertEquals(Math.log(0.9), lp[1][EOS], 1e-12);
    assertEquals(Math.log(0.3), lp[2][EOS], 1e-12);
    assertEquals(0, TOY.follow().length);
  }
}

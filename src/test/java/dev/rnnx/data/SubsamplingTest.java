package dev.rnnx.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class SubsamplingTest {

  @Test
  void keepProbabilityIsThePapersSquareRootOfThresholdOverFrequency() {
    // f = 0.01, t = 1e-4: sqrt(0.01) = 0.1, the paper's discard probability 1 - 0.1 = 0.9
    assertEquals(0.1, Subsampling.keepProbability(100, 10_000, 1e-4), 1e-12);
    // f = 4e-4: sqrt(1/4)
    assertEquals(0.5, Subsampling.keepProbability(4, 10_000, 1e-4), 1e-12);
    assertEquals(1.0, Subsampling.keepProbability(1, 10_000, 1e-4), "rarer than t: always kept");
    assertEquals(1.0, Subsampling.keepProbability(9_000, 10_000, 0), "t = 0: subsampling off");
  }

  @Test
  void drawsKeepTheExpectedShareAndRepeatWithTheSeed() {
    long[] counts = {0, 0, 0, 0, 100, 1};
    int[] sentence = new int[20_000];
    for (int i = 0; i < sentence.length; i++) {
      sentence[i] = i % 2 == 0 ? 4 : 5;
    }
    Subsampling s = new Subsampling(counts, 1e-3, 7);
    // f(4) = 100/101: keep sqrt(1e-3 · 101/100) = 0.03178; id 5 (f = 1/101 > t): keep sqrt(0.101) = 0.3178
    assertEquals(Math.sqrt(1e-3 * 101 / 100), s.keep(4), 1e-12);
    int[] kept = s.apply(sentence);
    long fours = java.util.Arrays.stream(kept).filter(id -> id == 4).count();
    long fives = kept.length - fours;
    // binomial(10,000, p): within 4 standard deviations
    assertEquals(10_000 * s.keep(4), fours, 4 * Math.sqrt(10_000 * s.keep(4)));
    assertEquals(10_000 * s.keep(5), fives, 4 * Math.sqrt(10_000 * s.keep(5)));
    assertArrayEquals(kept, new Subsampling(counts, 1e-3, 7).apply(sentence), "same seed, same draws");
    int[] all = {4, 5, 4};
    assertSame(all, new Subsampling(counts, 0, 7).apply(all), "t = 0 keeps the sentence as it is");
  }
}

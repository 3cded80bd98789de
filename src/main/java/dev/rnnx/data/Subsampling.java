package dev.rnnx.data;

import java.util.SplittableRandom;

/**
 * Frequent-word subsampling (Mikolov et al., 2013, "Distributed Representations of Words and
 * Phrases and their Compositionality", section 2.3): each occurrence of a word w is discarded with
 * probability {@code P(w) = 1 − sqrt(t / f(w))}, where {@code f(w)} is the word's count over the
 * corpus's word count and {@code t} the threshold (around 1e-5 in the paper). So it is kept with
 * probability {@code min(1, sqrt(t / f(w)))}: words rarer than {@code t} are always kept, and a
 * word 100 times more frequent than {@code t} keeps one occurrence in ten. (The reference C code
 * uses a different, gentler formula; this class follows the paper.) Draws come from one {@link
 * SplittableRandom} in corpus order, so the same seed keeps the same occurrences.
 */
public final class Subsampling {

  private final double threshold;
  private final double[] keep;
  private final SplittableRandom random;

  /**
   * The keep probabilities of every id.
   *
   * @param counts each id's count in the corpus
   * @param threshold t, or 0 to keep everything
   * @param seed the draws' seed
   */
  public Subsampling(long[] counts, double threshold, long seed) {
    this.threshold = threshold;
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    keep = new double[counts.length];
    for (int id = 0; id < counts.length; id++) {
      keep[id] = keepProbability(counts[id], total, threshold);
    }
    random = new SplittableRandom(seed);
  }

  /**
   * The probability of keeping one occurrence of a word seen {@code count} times among {@code total}
   * words: {@code min(1, sqrt(t / f))} with {@code f = count / total}; 1 when {@code t} is 0.
   */
  public static double keepProbability(long count, long total, double threshold) {
    if (threshold <= 0 || count <= 0) {
      return 1;
    }
    double f = (double) count / total;
    return Math.min(1, Math.sqrt(threshold / f));
  }

  /** The keep probability of an id. */
  public double keep(int id) {
    return keep[id];
  }

  /** The sentence without the occurrences this draw discards (the same array when nothing can be). */
  public int[] apply(int[] sentence) {
    if (threshold <= 0) {
      return sentence;
    }
    int[] out = new int[sentence.length];
    int n = 0;
    for (int id : sentence) {
      if (keep[id] >= 1 || random.nextDouble() < keep[id]) {
        out[n++] = id;
      }
    }
    return n == out.length ? out : java.util.Arrays.copyOf(out, n);
  }
}

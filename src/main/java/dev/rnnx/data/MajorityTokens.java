package dev.rnnx.data;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.MajorityTokensTask;
import java.util.SplittableRandom;

/**
 * Variable-length classification: each sequence's length is uniform in
 * {@code [min_length, max_length]}, its tokens uniform in {@code 1 … vocabulary−1}, padded with 0
 * to {@code max_length}; its class {@code k} (one-hot over {@code classes}) says that id
 * {@code k+1} occurs strictly more often than every other id of {@code 1 … classes}. When the most
 * frequent of those ids is shared (including when none of them occurs), the tokens are redrawn at
 * the same length, so lengths stay uniform. {@link Dataset#lengths()} is set. The last
 * {@code round(samples · validation_fraction)} examples (at least one) are held out.
 */
public final class MajorityTokens {

  /** Redraws allowed per example before giving up on the settings. */
  static final int MAX_REDRAWS = 100_000;

  private MajorityTokens() {}

  /**
   * Generates the task's examples, deterministically from {@code seed}.
   *
   * @throws IllegalArgumentException when the settings almost never give a sequence with a unique
   *     majority (e.g. one-token sequences over a vocabulary where the competing ids are rare)
   */
  public static Split generate(MajorityTokensTask task, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = task.samples();
    int max = task.maxLength();
    int classes = task.classes();
    long[] ids = new long[n * max];
    long[] lengths = new long[n];
    float[] y = new float[n * classes];
    int[] counts = new int[classes + 1];
    for (int i = 0; i < n; i++) {
      int len = task.minLength() + random.nextInt(max - task.minLength() + 1);
      lengths[i] = len;
      int winner = -1;
      for (int attempt = 0; winner < 0; attempt++) {
        if (attempt == MAX_REDRAWS) {
          throw new IllegalArgumentException("majority_tokens: " + MAX_REDRAWS + " draws of length " + len
              + " gave no unique majority among ids 1 … " + classes + " of vocabulary " + task.vocabulary()
              + "; raise min_length or lower vocabulary");
        }
        java.util.Arrays.fill(counts, 0);
        for (int t = 0; t < len; t++) {
          int id = 1 + random.nextInt(task.vocabulary() - 1);
          ids[i * max + t] = id;
          if (id <= classes) {
            counts[id]++;
          }
        }
        winner = uniqueMajority(counts, classes);
      }
      y[i * classes + winner - 1] = 1f;
    }
    Dataset all = new Dataset(LongTensor.of(ids, n, max), FloatTensor.of(y, n, classes), LongTensor.of(lengths, n));
    return TaskData.holdOutLast(all, task.validationFraction(), "majority_tokens");
  }

  /** The id in {@code 1 … classes} with the strictly highest positive count, or −1. */
  static int uniqueMajority(int[] counts, int classes) {
    int best = -1;
    int bestCount = 0;
    boolean tie = false;
    for (int id = 1; id <= classes; id++) {
      if (counts[id] > bestCount) {
        best = id;
        bestCount = counts[id];
        tie = false;
      } else if (counts[id] == bestCount && bestCount > 0) {
        tie = true;
      }
    }
    return tie ? -1 : best;
  }
}

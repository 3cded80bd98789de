package dev.rnnx.tf;

import dev.rnnx.data.Corpus;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Word2Vec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The training examples of a {@link Word2Vec} model ({@link Word2VecTraining}). The special ids
 * (PAD, BOS, EOS, UNK) are removed from every sentence first; then, with a fixed window w,
 * skip-gram makes one example (centre → context word) per ordered pair of positions at most w
 * apart, CBOW one example per position with at least one neighbour (its up to 2w neighbours →
 * the centre word).
 *
 * @param inputs per example: the centre word (skip-gram, width 1) or the up to 2w neighbours
 *     padded with PAD (CBOW, width 2w)
 * @param mask per input slot: 1 for a word, 0 for padding (CBOW)
 * @param targets the word each example predicts
 * @param width input slots per example
 * @param sampling the cumulative unigram^0.75 distribution over ids, for negatives
 */
record Word2VecExamples(long[] inputs, float[] mask, long[] targets, int width, double[] sampling) {

  int size() {
    return targets.length;
  }

  static Word2VecExamples of(Word2Vec model, Corpus corpus) {
    int w = model.window();
    boolean cbow = model.architecture() == Word2Vec.Architecture.CBOW;
    int width = cbow ? 2 * w : 1;
    List<long[]> inputs = new ArrayList<>();
    List<Long> targets = new ArrayList<>();
    long[] counts = new long[model.vocabulary()];
    for (int[] raw : corpus.sentences()) {
      int[] s = Arrays.stream(raw).filter(id -> {
        if (id < 0 || id >= model.vocabulary()) {
          throw new IllegalArgumentException("the corpus holds word id " + id + ", expected 0 … " + (model.vocabulary() - 1));
        }
        return id >= SpecialTokens.FIRST_TEXT;
      }).toArray();
      for (int id : s) {
        counts[id]++;
      }
      for (int i = 0; i < s.length; i++) {
        if (cbow) {
          long[] context = new long[width];
          int n = 0;
          for (int j = Math.max(0, i - w); j <= Math.min(s.length - 1, i + w); j++) {
            if (j != i) {
              context[n++] = s[j];
            }
          }
          if (n > 0) {
            inputs.add(withCount(context, n));
            targets.add((long) s[i]);
          }
        } else {
          for (int j = Math.max(0, i - w); j <= Math.min(s.length - 1, i + w); j++) {
            if (j != i) {
              inputs.add(new long[] {s[i]});
              targets.add((long) s[j]);
            }
          }
        }
      }
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("the corpus yields no training example: every sentence has fewer than two words");
    }
    long[] in = new long[targets.size() * width];
    float[] mask = new float[targets.size() * width];
    for (int e = 0; e < targets.size(); e++) {
      long[] row = inputs.get(e);
      int n = cbow ? (int) row[width] : 1;
      for (int k = 0; k < width; k++) {
        in[e * width + k] = row[k];
        mask[e * width + k] = k < n ? 1f : 0f;
      }
    }
    double[] cumulative = new double[model.vocabulary()];
    double total = 0;
    for (int id = 0; id < counts.length; id++) {
      total += Math.pow(counts[id], 0.75);
      cumulative[id] = total;
    }
    for (int id = 0; id < counts.length; id++) {
      cumulative[id] /= total;
    }
    return new Word2VecExamples(in, mask, targets.stream().mapToLong(Long::longValue).toArray(), width, cumulative);
  }

  /** The context with its word count appended. */
  private static long[] withCount(long[] context, int n) {
    long[] row = Arrays.copyOf(context, context.length + 1);
    row[context.length] = n;
    return row;
  }

  /** One draw from the unigram^0.75 distribution: the first id whose cumulative probability exceeds u ~ U[0, 1). */
  long negative(Random random) {
    double u = random.nextDouble();
    int lo = 0;
    int hi = sampling.length - 1; // sampling[hi] == 1 > u
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sampling[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}

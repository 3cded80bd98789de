package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code TfIdfVectorizer} over integer tokens ({@code pool_int64s}; string pools are refused, as
 * string tensors are not supported): counts the pool's n-grams of lengths {@code min_gram_length} to
 * {@code max_gram_length} in each row, their items up to {@code max_skip_count} tokens apart, and
 * writes TF (counts), IDF ({@code weights} where counted) or TFIDF (counts times weights) at each
 * n-gram's {@code ngram_indexes} entry.
 */
final class TextOps {

  private TextOps() {}

  static List<Value> tfIdfVectorizer(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    if (node.getStrings("pool_strings") != null) {
      throw new UnsupportedOperationException("pool_strings: string tensors are not supported");
    }
    long[] pool = node.getInts("pool_int64s");
    long[] counts = node.getInts("ngram_counts");
    long[] indexes = node.getInts("ngram_indexes");
    if (pool == null || counts == null || indexes == null) {
      throw new IllegalArgumentException("pool_int64s, ngram_counts and ngram_indexes are required");
    }
    double[] weights = node.getFloats("weights");
    int minN = (int) node.getInt("min_gram_length");
    int maxN = (int) node.getInt("max_gram_length");
    int maxSkip = (int) node.getInt("max_skip_count");
    String mode = node.getString("mode", "TF");
    // each n-gram of the pool, as a list of tokens, to its output index
    Map<List<Long>, Integer> grams = new HashMap<>();
    int g = 0;
    for (int level = 0; level < counts.length; level++) {
      int n = level + 1;
      int start = (int) counts[level];
      int end = level + 1 < counts.length ? (int) counts[level + 1] : pool.length;
      for (int p = start; p + n <= end; p += n, g++) {
        List<Long> key = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          key.add(pool[p + k]);
        }
        grams.put(key, (int) indexes[g]);
      }
    }
    int size = 0;
    for (long i : indexes) {
      size = Math.max(size, (int) i + 1);
    }
    int rows = x.rank() == 2 ? (int) x.dim(0) : 1;
    int len = (int) x.dim(-1);
    double[] y = new double[rows * size];
    for (int r = 0; r < rows; r++) {
      for (int n = Math.max(1, minN); n <= maxN; n++) {
        for (int skip = 0; skip <= (n == 1 ? 0 : maxSkip); skip++) {
          for (int s = 0; s + (long) (n - 1) * (skip + 1) < len; s++) {
            List<Long> key = new ArrayList<>();
            for (int k = 0; k < n; k++) {
              key.add(x.getLong(r * len + s + k * (skip + 1)));
            }
            Integer o = grams.get(key);
            if (o != null) {
              y[r * size + o]++;
            }
          }
        }
      }
    }
    for (int i = 0; i < y.length; i++) {
      double w = weights == null ? 1 : weights[indexOf(indexes, i % size)];
      switch (mode) {
        case "TF":
          break;
        case "IDF":
          y[i] = y[i] > 0 ? w : 0;
          break;
        case "TFIDF":
          y[i] *= w;
          break;
        default:
          throw new IllegalArgumentException("mode must be TF, IDF or TFIDF, got '" + mode + "'");
      }
    }
    long[] shape = x.rank() == 2 ? new long[] {rows, size} : new long[] {size};
    return List.of(Value.wrapDoubles(DataType.FLOAT, shape, y));
  }

  private static int indexOf(long[] indexes, int out) {
    for (int i = 0; i < indexes.length; i++) {
      if (indexes[i] == out) {
        return i;
      }
    }
    return 0;
  }
}

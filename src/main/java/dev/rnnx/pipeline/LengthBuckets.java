package dev.rnnx.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source-length buckets seq2seq results are reported by: 1–12 characters (the short date
 * formats), 13–18, 19–28 and 29+ (the long formats, rare in training).
 */
public final class LengthBuckets {

  /** Upper bounds, inclusive. */
  private static final int[] BOUNDS = {12, 18, 28, Integer.MAX_VALUE};

  private LengthBuckets() {}

  /** The number of buckets. */
  public static int count() {
    return BOUNDS.length;
  }

  /** The label of bucket {@code i}, e.g. {@code 13-18} or {@code 29+}. */
  public static String name(int i) {
    int from = i == 0 ? 1 : BOUNDS[i - 1] + 1;
    return BOUNDS[i] == Integer.MAX_VALUE ? from + "+" : from + "-" + BOUNDS[i];
  }

  /**
   * Per-bucket results ({@code [examples, bleu4, exact_match]} by label) as JSON-ready maps, every
   * key in that order (never a hash order, which changes from one JVM to the next).
   */
  public static Map<String, Object> toJson(Map<String, double[]> byLength) {
    Map<String, Object> buckets = new LinkedHashMap<>();
    byLength.forEach((k, v) -> {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("examples", (int) v[0]);
      b.put("bleu4", v[1]);
      b.put("exact_match", v[2]);
      buckets.put(k, b);
    });
    return buckets;
  }

  /** The label of the bucket a length falls in. */
  public static String of(int length) {
    for (int i = 0; i < BOUNDS.length; i++) {
      if (length <= BOUNDS[i]) {
        return name(i);
      }
    }
    throw new IllegalArgumentException("length " + length + " fits no bucket");
  }
}

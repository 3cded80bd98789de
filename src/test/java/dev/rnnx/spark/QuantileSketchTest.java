package dev.rnnx.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sketch's quantiles are within its relative accuracy of the exact ones, however the values are split and merged. */
class QuantileSketchTest {

  private static final double[] QS = {0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1};

  /** Errors as parity produces them: log-normal over several decades, some exact zeros. */
  private static double[] values(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(20) == 0 ? 0 : Math.exp(-16 + 3 * r.nextGaussian());
    }
    return v;
  }

  @Test
  void mergedPartsAreWithinTheAccuracyOfTheExactQuantiles() {
    double[] v = values(200_000, 1);
    List<QuantileSketch> parts = new ArrayList<>();
    for (int p = 0; p < 7; p++) {
      parts.add(new QuantileSketch(0.005));
    }
    Random r = new Random(2);
    for (double x : v) {
      parts.get(r.nextInt(parts.size())).add(x);
    }
    QuantileSketch forward = new QuantileSketch(0.005);
    parts.forEach(forward::merge);
    List<QuantileSketch> shuffled = new ArrayList<>(parts);
    Collections.shuffle(shuffled, new Random(3));
    QuantileSketch tree = new QuantileSketch(0.005).merge(shuffled.get(0).merge(shuffled.get(1)));
    shuffled.subList(2, shuffled.size()).forEach(tree::merge);
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    assertEquals(v.length, forward.count());
    for (double q : QS) {
      double exact = sorted[(int) Math.floor(q * (v.length - 1))];
      double got = forward.quantile(q);
      assertTrue(Math.abs(got - exact) <= 0.005 * exact + 1e-300, "q" + q + ": " + got + " vs exact " + exact);
      assertEquals(got, tree.quantile(q), "merge order changed q" + q);
    }
    assertTrue(forward.buckets() < 5000, "sketch of " + forward.buckets() + " buckets");
  }

  @Test
  void aCoarseSketchIsCoarseAndBadValuesAreRefused() {
    QuantileSketch s = new QuantileSketch(0.1);
    for (int i = 1; i <= 1000; i++) {
      s.add(i);
    }
    assertEquals(500, s.quantile(0.5), 0.1 * 500);
    assertTrue(Math.abs(s.quantile(0.5) - 500) > 1e-9, "a 10% sketch answered exactly: it does not bucket");
    assertThrows(IllegalArgumentException.class, () -> s.add(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> s.add(-1));
    assertThrows(IllegalArgumentException.class, () -> s.merge(new QuantileSketch(0.01)));
    assertThrows(IllegalStateException.class, () -> new QuantileSketch(0.01).quantile(0.5));
  }
}

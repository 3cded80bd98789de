package dev.rnnx.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mergeable quantile sketch of non-negative values with a guaranteed relative accuracy (the
 * DDSketch of Masson, Rim and Lee, VLDB 2019): a value {@code x > 0} is counted in the bucket
 * {@code ceil(log_γ x)}, {@code γ = (1 + α) / (1 − α)}, and a quantile is answered with its bucket's
 * centre, within {@code α · x} of the true value of that rank. Merging adds bucket counts, so the
 * result does not depend on how the values were split across partitions or in which order the
 * parts are merged. Zeros are counted apart; NaN is refused (count it elsewhere).
 */
public final class QuantileSketch implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double alpha;
  private final double logGamma;
  private final TreeMap<Integer, Long> buckets = new TreeMap<>();
  private long zeros;
  private long count;

  /**
   * @param alpha the relative accuracy of every quantile, in (0, 0.5)
   */
  public QuantileSketch(double alpha) {
    if (!(alpha > 0 && alpha < 0.5)) {
      throw new IllegalArgumentException("relative accuracy is " + alpha + ", expected a value in (0, 0.5)");
    }
    this.alpha = alpha;
    this.logGamma = Math.log((1 + alpha) / (1 - alpha));
  }

  /** The relative accuracy. */
  public double alpha() {
    return alpha;
  }

  /** Counts a value: zero or positive and finite. */
  public void add(double x) {
    if (!(x >= 0) || x == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("a sketched value is finite and at least 0, got " + x);
    }
    count++;
    if (x == 0 || x < Double.MIN_NORMAL) {
      zeros++;
      return;
    }
    buckets.merge((int) Math.ceil(Math.log(x) / logGamma), 1L, Long::sum);
  }

  /** Adds the counts of {@code other} (of the same accuracy) to this sketch; returns this sketch. */
  public QuantileSketch merge(QuantileSketch other) {
    if (other.alpha != alpha) {
      throw new IllegalArgumentException("cannot merge a sketch of accuracy " + other.alpha + " into one of " + alpha);
    }
    for (Map.Entry<Integer, Long> e : other.buckets.entrySet()) {
      buckets.merge(e.getKey(), e.getValue(), Long::sum);
    }
    zeros += other.zeros;
    count += other.count;
    return this;
  }

  /** The number of values counted. */
  public long count() {
    return count;
  }

  /**
   * The value of rank {@code q · (count − 1)} (the lower value of the two around a fractional
   * rank), within {@code alpha} of it relatively.
   *
   * @param q the quantile, in [0, 1]
   * @throws IllegalStateException when the sketch is empty
   */
  public double quantile(double q) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile is " + q + ", expected a value in [0, 1]");
    }
    if (count == 0) {
      throw new IllegalStateException("the sketch is empty");
    }
    long rank = (long) Math.floor(q * (count - 1));
    if (rank < zeros) {
      return 0;
    }
    long seen = zeros;
    for (Map.Entry<Integer, Long> e : buckets.entrySet()) {
      seen += e.getValue();
      if (seen > rank) {
        return 2 * Math.exp(e.getKey() * logGamma) / (1 + Math.exp(logGamma));
      }
    }
    return 2 * Math.exp(buckets.lastKey() * logGamma) / (1 + Math.exp(logGamma));
  }

  /** The number of non-empty buckets (the sketch's size). */
  public int buckets() {
    return buckets.size() + (zeros > 0 ? 1 : 0);
  }
}

package dev.rnnx.spark;

import dev.rnnx.verify.ElementwiseComparison;
import dev.rnnx.spec.FloatTensor;
import java.io.Serializable;
import java.util.Locale;

/**
 * Error statistics of a candidate against the reference over many cases, mergeable across
 * partitions: exact counts, maximum and mean of the absolute error, and its quantiles from a
 * {@link QuantileSketch}. Each case is judged by verify's {@link ElementwiseComparison}
 * (Polygraphy's rule); the sketch holds every element's {@code |candidate − reference|}.
 */
public final class ErrorSummary implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The sketch's relative accuracy: quantiles are within 0.5% of the true error of their rank. */
  public static final double SKETCH_ACCURACY = 0.005;

  private final QuantileSketch sketch = new QuantileSketch(SKETCH_ACCURACY);
  private long cases;
  private long failingCases;
  private long elements;
  private long failingElements;
  private long nonFinite;
  private double maxAbs;
  private double sumAbs;
  private double maxRel;
  private String worstCase;
  private String firstFailure;

  /** Adds one case: its comparison and the two tensors it compared (equal shapes unless it failed on shape). */
  public void add(ElementwiseComparison c, FloatTensor reference, FloatTensor candidate) {
    cases++;
    elements += c.elements();
    failingElements += c.failing();
    if (!c.passed()) {
      failingCases++;
      if (firstFailure == null) {
        firstFailure = c.caseName() + ": " + (c.problem() != null ? c.problem()
            : c.failing() + " of " + c.elements() + " elements out of tolerance, max abs error " + c.maxAbsErr());
      }
    }
    if (c.maxAbsErr() > maxAbs || worstCase == null) {
      worstCase = c.caseName();
    }
    maxAbs = Math.max(maxAbs, c.maxAbsErr());
    maxRel = Math.max(maxRel, c.maxRelErr());
    if (candidate == null || reference.size() != candidate.size()) {
      return;
    }
    float[] r = reference.data();
    float[] x = candidate.data();
    for (int i = 0; i < r.length; i++) {
      double e = Math.abs((double) x[i] - r[i]);
      if (Double.isFinite(e)) {
        sketch.add(e);
        sumAbs += e;
      } else {
        nonFinite++;
      }
    }
  }

  /** Adds the counts of {@code other} into this summary; returns this summary. */
  public ErrorSummary merge(ErrorSummary other) {
    sketch.merge(other.sketch);
    if (other.maxAbs > maxAbs || worstCase == null) {
      worstCase = other.worstCase;
    }
    if (firstFailure == null) {
      firstFailure = other.firstFailure;
    }
    cases += other.cases;
    failingCases += other.failingCases;
    elements += other.elements;
    failingElements += other.failingElements;
    nonFinite += other.nonFinite;
    maxAbs = Math.max(maxAbs, other.maxAbs);
    maxRel = Math.max(maxRel, other.maxRel);
    sumAbs += other.sumAbs;
    return this;
  }

  /** Cases compared. */
  public long cases() {
    return cases;
  }

  /** Cases that failed their criterion. */
  public long failingCases() {
    return failingCases;
  }

  /** Elements compared. */
  public long elements() {
    return elements;
  }

  /** Elements out of tolerance. */
  public long failingElements() {
    return failingElements;
  }

  /** The largest absolute error. */
  public double maxAbs() {
    return maxAbs;
  }

  /** The largest relative error. */
  public double maxRel() {
    return maxRel;
  }

  /** The mean absolute error over the finite errors. */
  public double meanAbs() {
    long n = sketch.count();
    return n == 0 ? 0 : sumAbs / n;
  }

  /** The absolute error of quantile {@code q}, from the sketch. */
  public double quantile(double q) {
    return sketch.count() == 0 ? 0 : sketch.quantile(q);
  }

  /** Elements whose error is not finite. */
  public long nonFinite() {
    return nonFinite;
  }

  /** The case of the largest error. */
  public String worstCase() {
    return worstCase;
  }

  /** The first failing case and why, or {@code null}. */
  public String firstFailure() {
    return firstFailure;
  }

  /** Whether every case passed. */
  public boolean passed() {
    return cases > 0 && failingCases == 0;
  }

  /** The statistics as lines of text. */
  public String text() {
    return String.format(Locale.ROOT,
        "cases %d (%d failing), elements %d (%d out of tolerance, %d not finite)%n"
            + "abs error: max %.3e (%s), mean %.3e, p50 %.3e, p90 %.3e, p99 %.3e, p99.9 %.3e"
            + " (quantiles within %.1f%%)%nrel error: max %.3e%n",
        cases, failingCases, elements, failingElements, nonFinite, maxAbs, worstCase, meanAbs(), quantile(0.5),
        quantile(0.9), quantile(0.99), quantile(0.999), 100 * SKETCH_ACCURACY, maxRel);
  }
}

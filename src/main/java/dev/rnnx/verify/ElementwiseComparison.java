package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tolerances;
import java.util.Arrays;

/**
 * The comparison of one output of one case between a reference and a candidate backend, judged as
 * Polygraphy's {@code CompareFunc.simple} judges it ({@link Criterion}): by default elementwise, an
 * element failing only when {@code |c − r| > atol} <em>and</em> {@code |c − r| > rtol · |r|}, a
 * NaN error failing always; or by a statistic ({@link ErrorStat}) of the errors. A shape mismatch
 * or a missing output fails outright.
 *
 * @param caseName the input case
 * @param reference the reference backend
 * @param candidate the compared backend
 * @param output the output name
 * @param maxAbsErr largest {@code |c − r|} (infinite when a value is not finite where the
 *     reference's is, or the shapes differ)
 * @param maxRelErr largest {@code |c − r| / |r|} over elements with {@code r ≠ 0}
 * @param failing number of elements that fail the elementwise rule (whatever the statistic)
 * @param elements number of elements compared
 * @param problem a shape, missing-output or finiteness problem, or {@code null}
 * @param criterion how the output was judged
 * @param stats the error statistics, or {@code null} when the shapes differ
 * @param withinTolerance whether the criterion's check passed on the values
 */
public record ElementwiseComparison(
    String caseName,
    String reference,
    String candidate,
    String output,
    double maxAbsErr,
    double maxRelErr,
    long failing,
    long elements,
    String problem,
    Criterion criterion,
    ErrorStats stats,
    boolean withinTolerance) {

  /** Whether the shapes matched and the criterion's check passed. */
  public boolean passed() {
    return problem == null && withinTolerance;
  }

  /** Compares two tensors elementwise with Polygraphy's rule. */
  public static ElementwiseComparison compare(
      String caseName, String reference, String candidate, String output,
      FloatTensor expected, FloatTensor actual, Tolerances tol) {
    return compare(caseName, reference, candidate, output, expected, actual, Criterion.of(tol), false);
  }

  /**
   * Compares two tensors under a criterion.
   *
   * @param classifier whether the last axis holds classes (argmax, top-k and sequence agreement)
   */
  public static ElementwiseComparison compare(
      String caseName, String reference, String candidate, String output,
      FloatTensor expected, FloatTensor actual, Criterion criterion, boolean classifier) {
    if (actual == null) {
      return new ElementwiseComparison(caseName, reference, candidate, output, Double.POSITIVE_INFINITY,
          Double.POSITIVE_INFINITY, expected.size(), expected.size(), "output missing", criterion, null, false);
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return new ElementwiseComparison(caseName, reference, candidate, output,
          Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, expected.size(), expected.size(),
          "shape " + actual.shapeString() + " differs from the reference's " + expected.shapeString(), criterion, null,
          false);
    }
    float[] r = expected.data();
    float[] c = actual.data();
    double maxAbs = 0;
    double maxRel = 0;
    long failing = 0;
    String problem = null;
    for (int i = 0; i < r.length; i++) {
      double abs = ErrorStats.absError(r[i], c[i], criterion.infinitiesCompareEqual());
      double rel = ErrorStats.relError(abs, r[i]);
      boolean mismatch = !(abs <= criterion.atol()) && !(rel <= criterion.rtol());
      if (mismatch) {
        failing++;
      }
      if (!Double.isFinite(abs)) {
        maxAbs = Double.POSITIVE_INFINITY;
        maxRel = Double.POSITIVE_INFINITY;
        if (problem == null && mismatch) {
          problem = "non-finite value " + c[i] + " at " + NonFiniteValue.position(expected.shape(), i)
              + " where the reference has " + r[i];
        }
        continue;
      }
      maxAbs = Math.max(maxAbs, abs);
      if (r[i] != 0) {
        maxRel = Math.max(maxRel, abs / Math.abs((double) r[i]));
      }
    }
    ErrorStats stats = ErrorStats.compute(r, c, expected.shape(), criterion, classifier);
    boolean within;
    if (criterion.stat() == ErrorStat.ELEMWISE) {
      within = failing == 0;
    } else {
      double[] s = stats.checked(criterion.stat());
      boolean failed = !(s[0] <= criterion.atol()) && !(s[1] <= criterion.rtol());
      within = !failed;
    }
    return new ElementwiseComparison(caseName, reference, candidate, output, maxAbs, maxRel, failing, r.length,
        within ? null : problem, criterion, stats, within);
  }
}

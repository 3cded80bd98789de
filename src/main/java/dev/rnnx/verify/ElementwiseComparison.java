package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tolerances;
import java.util.Arrays;

/**
 * The comparison of one output of one case between a reference and a candidate backend, under
 * Polygraphy's elementwise rule: an element fails only when {@code |c - r| > atol} and
 * {@code |c - r| > rtol · |r|}. A shape mismatch or a NaN/Inf where the reference is finite fails.
 *
 * @param caseName the input case
 * @param reference the reference backend
 * @param candidate the compared backend
 * @param output the output name
 * @param maxAbsErr largest {@code |c - r|}
 * @param maxRelErr largest {@code |c - r| / |r|} over elements with {@code r != 0}
 * @param failing number of elements that fail the rule
 * @param elements number of elements compared
 * @param problem a shape or finiteness problem, or {@code null}
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
    String problem) {

  /** Whether every element passed and the shapes matched. */
  public boolean passed() {
    return problem == null && failing == 0;
  }

  /** Compares two tensors. */
  public static ElementwiseComparison compare(
      String caseName, String reference, String candidate, String output,
      FloatTensor expected, FloatTensor actual, Tolerances tol) {
    if (actual == null) {
      return new ElementwiseComparison(caseName, reference, candidate, output,
          Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, expected.size(), expected.size(), "output missing");
    }
    if (!Arrays.equals(expected.shape(), actual.shape())) {
      return new ElementwiseComparison(caseName, reference, candidate, output,
          Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, expected.size(), expected.size(),
          "shape " + actual.shapeString() + " differs from the reference's " + expected.shapeString());
    }
    double maxAbs = 0;
    double maxRel = 0;
    long failing = 0;
    String problem = null;
    float[] r = expected.data();
    float[] c = actual.data();
    for (int i = 0; i < r.length; i++) {
      if (Float.isNaN(c[i]) || Float.isInfinite(c[i])) {
        if (!(Float.isNaN(r[i]) && Float.isNaN(c[i])) && r[i] != c[i]) {
          failing++;
          maxAbs = Double.POSITIVE_INFINITY;
          maxRel = Double.POSITIVE_INFINITY;
          if (problem == null) {
            problem = "value " + c[i] + " at flat index " + i + " where the reference has " + r[i];
          }
        }
        continue;
      }
      double abs = Math.abs((double) c[i] - (double) r[i]);
      double rel = r[i] != 0 ? abs / Math.abs((double) r[i]) : (abs == 0 ? 0 : Double.POSITIVE_INFINITY);
      maxAbs = Math.max(maxAbs, abs);
      if (r[i] != 0) {
        maxRel = Math.max(maxRel, rel);
      }
      if (abs > tol.atol() && abs > tol.rtol() * Math.abs((double) r[i])) {
        failing++;
      }
    }
    return new ElementwiseComparison(caseName, reference, candidate, output, maxAbs, maxRel, failing, r.length, problem);
  }
}

package dev.rnnx.verify;

/**
 * The worst errors of one output between two backends over every input case: maxima of errors
 * and of required tolerances, minima of similarities and agreements.
 *
 * @param reference the reference backend
 * @param candidate the compared backend
 * @param output the output name
 * @param maxAbsErr the largest absolute error over all cases
 * @param maxRelErr the largest relative error (over non-zero reference values) over all cases
 * @param casesPassed cases in which the output passed
 * @param cases cases compared
 * @param meanAbsErr the largest per-case mean absolute error
 * @param medianAbsErr the largest per-case median absolute error
 * @param quantileAbsErr the largest per-case quantile of the absolute error (the criterion's quantile)
 * @param maxUlp the largest distance in float32 ulps
 * @param minCosine the smallest cosine similarity
 * @param requiredAtol the smallest {@code atol} that passes every case with {@code rtol = 0}
 * @param requiredRtol the smallest {@code rtol} that passes every case with {@code atol = 0}
 * @param requiredAtolAtRtol the smallest {@code atol} that passes every case with the criterion's {@code rtol}
 * @param requiredRtolAtAtol the smallest {@code rtol} that passes every case with the criterion's {@code atol}
 * @param argmaxAgreement the smallest argmax agreement (NaN unless the output is a classifier's)
 * @param topKAgreement the smallest top-k agreement (NaN unless computed)
 * @param sequenceAgreement the smallest per-sequence token agreement (NaN unless computed)
 * @param criterion how the output was judged
 */
public record PairSummary(
    String reference, String candidate, String output, double maxAbsErr, double maxRelErr, int casesPassed, int cases,
    double meanAbsErr, double medianAbsErr, double quantileAbsErr, long maxUlp, double minCosine,
    double requiredAtol, double requiredRtol, double requiredAtolAtRtol, double requiredRtolAtAtol,
    double argmaxAgreement, double topKAgreement, double sequenceAgreement, Criterion criterion) {

  /** Whether every case passed. */
  public boolean passed() {
    return casesPassed == cases;
  }
}

package dev.rnnx.verify;

/**
 * The worst errors of one output between two backends over every input case.
 *
 * @param reference the reference backend
 * @param candidate the compared backend
 * @param output the output name
 * @param maxAbsErr the largest absolute error over all cases
 * @param maxRelErr the largest relative error over all cases
 * @param casesPassed cases in which every element passed
 * @param cases cases compared
 */
public record PairSummary(
    String reference, String candidate, String output, double maxAbsErr, double maxRelErr, int casesPassed, int cases) {

  /** Whether every case passed. */
  public boolean passed() {
    return casesPassed == cases;
  }
}

package dev.rnnx.verify;

import dev.rnnx.spec.Tolerances;

/**
 * How one output is judged: Polygraphy's {@code CompareFunc.simple} parameters for one output.
 *
 * @param atol absolute tolerance
 * @param rtol relative tolerance, relative to the reference value
 * @param stat the error statistic checked against both tolerances
 * @param quantile the quantile for {@link ErrorStat#QUANTILE}, in [0, 1]
 * @param infinitiesCompareEqual whether an infinity matched by the same infinity has error 0
 *     (otherwise its error is NaN and the element fails, Polygraphy's default)
 */
public record Criterion(double atol, double rtol, ErrorStat stat, double quantile, boolean infinitiesCompareEqual) {

  /** Polygraphy's defaults: atol and rtol 1e-5, elementwise, quantile 0.99, infinities unequal. */
  public static final Criterion DEFAULT = new Criterion(1e-5, 1e-5, ErrorStat.ELEMWISE, 0.99, false);

  /** Validates the tolerances and the quantile. */
  public Criterion {
    new Tolerances(atol, rtol);
    if (stat == null) {
      throw new IllegalArgumentException("error statistic is missing, expected one of elemwise, max, mean, median, quantile");
    }
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("error quantile is " + quantile + ", expected a number in [0, 1]");
    }
  }

  /** Elementwise with the given tolerances, Polygraphy's other defaults. */
  public static Criterion of(Tolerances tolerances) {
    return new Criterion(tolerances.atol(), tolerances.rtol(), ErrorStat.ELEMWISE, 0.99, false);
  }

  /** The tolerances alone. */
  public Tolerances tolerances() {
    return new Tolerances(atol, rtol);
  }

  /** The same criterion with other tolerances. */
  public Criterion withTolerances(double atol, double rtol) {
    return new Criterion(atol, rtol, stat, quantile, infinitiesCompareEqual);
  }

  /** The same criterion with another statistic. */
  public Criterion withStat(ErrorStat stat) {
    return new Criterion(atol, rtol, stat, quantile, infinitiesCompareEqual);
  }

  /** A short description, e.g. {@code atol 1.0e-05, rtol 1.0e-05, elemwise}. */
  public String describe() {
    return String.format(java.util.Locale.ROOT, "atol %.1e, rtol %.1e, %s%s%s", atol, rtol, stat.cliName(),
        stat == ErrorStat.QUANTILE ? " " + quantile : "", infinitiesCompareEqual ? ", infinities compare equal" : "");
  }
}

package dev.rnnx.verify;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which error statistic decides whether an output passes, as Polygraphy's {@code check_error_stat}.
 *
 * <ul>
 *   <li>{@link #ELEMWISE} (the default): every element on its own; an element fails only when its
 *       absolute error exceeds {@code atol} <em>and</em> its relative error exceeds {@code rtol}
 *       (a NaN error exceeds every tolerance).
 *   <li>{@link #MAX}, {@link #MEAN}, {@link #MEDIAN}, {@link #QUANTILE}: that statistic of the
 *       absolute errors against {@code atol} and of the relative errors against {@code rtol}; the
 *       output fails only when both exceed (or either statistic is NaN, which any NaN error makes it).
 * </ul>
 */
public enum ErrorStat {
  /** Each element against both tolerances. */
  ELEMWISE,
  /** The largest error. */
  MAX,
  /** The mean error. */
  MEAN,
  /** The median error. */
  MEDIAN,
  /** The {@code quantile}-th quantile of the errors (linear interpolation, NumPy's default). */
  QUANTILE;

  /** The lower-case name used on the command line and in reports, e.g. {@code elemwise}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a name case-insensitively.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static ErrorStat parse(String name) {
    for (ErrorStat s : values()) {
      if (s.cliName().equalsIgnoreCase(name.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown error statistic '" + name + "', expected one of "
        + Arrays.stream(values()).map(ErrorStat::cliName).toList());
  }
}

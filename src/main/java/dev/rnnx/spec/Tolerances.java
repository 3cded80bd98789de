package dev.rnnx.spec;

/**
 * Parity tolerances, applied with Polygraphy's elementwise rule: an element fails only when its
 * absolute error exceeds {@code atol} and its relative error exceeds {@code rtol}.
 *
 * @param atol absolute tolerance
 * @param rtol relative tolerance, relative to the reference value
 */
public record Tolerances(double atol, double rtol) {

  /** Polygraphy's fp32 defaults, 1e-5 and 1e-5. */
  public static final Tolerances DEFAULT = new Tolerances(1e-5, 1e-5);

  /** Validates that both are finite and non-negative. */
  public Tolerances {
    if (!(atol >= 0) || Double.isInfinite(atol)) {
      throw new IllegalArgumentException("tolerances.atol is " + atol + ", expected a finite number >= 0");
    }
    if (!(rtol >= 0) || Double.isInfinite(rtol)) {
      throw new IllegalArgumentException("tolerances.rtol is " + rtol + ", expected a finite number >= 0");
    }
  }
}

package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link RefMath#tanh} against {@link StrictMath#tanh}: at most {@value #MAX_ULPS} ulps everywhere, exact specials. */
class RefMathTest {

  static final long MAX_ULPS = 2;

  /** The distance of two finite doubles of the same sign (or zeros) in units in the last place. */
  private static long ulps(double a, double b) {
    long x = Double.doubleToRawLongBits(a);
    long y = Double.doubleToRawLongBits(b);
    if (x < 0) {
      x = Long.MIN_VALUE - x;
    }
    if (y < 0) {
      y = Long.MIN_VALUE - y;
    }
    return Math.abs(x - y);
  }

  private static long check(double x) {
    double got = RefMath.tanh(x);
    double want = StrictMath.tanh(x);
    long d = ulps(got, want);
    if (d > MAX_ULPS) {
      throw new AssertionError("tanh(" + x + ") = " + got + ", StrictMath " + want + ": " + d + " ulps");
    }
    assertEquals(-got, RefMath.tanh(-x), 0.0, () -> "tanh is odd at " + x);
    assertTrue(Math.abs(got) <= 1.0, () -> "|tanh(" + x + ")| <= 1");
    return d;
  }

  @Test
  void denseSweepWithinTwoUlps() {
    long worst = 0;
    long exact = 0;
    long n = 0;
    // about 1.6 million points over [-25, 25], with an irrational-ish step so the bits vary
    for (double x = -25; x <= 25; x += 0x1p-15 + 1e-12) {
      long d = check(x);
      worst = Math.max(worst, d);
      exact += d == 0 ? 1 : 0;
      n++;
    }
    assertTrue(worst <= MAX_ULPS);
    assertTrue(exact > n * 9 / 10, () -> "most values are the correctly rounded fdlibm ones");
  }

  @Test
  void boundariesTailsAndSmallMagnitudes() {
    double[] edges = {RefMath.TANH_SERIES_LIMIT, RefMath.TANH_SATURATION, 0x1p-28, 1.0, 0.5, 20, 30, 700, 710, 1e300,
        Double.MAX_VALUE, 1e-5, 1e-9, 3e-9, 1e-300};
    for (double e : edges) {
      for (double x : new double[] {e, Math.nextDown(e), Math.nextUp(e)}) {
        check(x);
        check(-x);
      }
    }
    for (int p = -1074; p <= 5; p++) {
      double x = Math.scalb(1.0, p);
      check(x);
      check(x * 1.37);
    }
  }

  @Test
  void specialValues() {
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(RefMath.tanh(0.0)));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(RefMath.tanh(-0.0)));
    assertEquals(Double.MIN_VALUE, RefMath.tanh(Double.MIN_VALUE));
    assertEquals(-Double.MIN_NORMAL / 3, RefMath.tanh(-Double.MIN_NORMAL / 3));
    assertEquals(1.0, RefMath.tanh(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, RefMath.tanh(Double.NEGATIVE_INFINITY));
    assertTrue(Double.isNaN(RefMath.tanh(Double.NaN)));
  }
}

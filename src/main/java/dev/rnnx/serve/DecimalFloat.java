package dev.rnnx.serve;

import java.nio.charset.StandardCharsets;

/**
 * Decimal text to float32, as {@link Float#parseFloat} reads it, bit for bit, without its cost on
 * the common case. A JSON number's significant digits (at most {@link #MAX_DIGITS}) and decimal
 * exponent become the correctly rounded double in one IEEE operation (Clinger's fast path: the
 * digits below 2<sup>53</sup> and a power of ten of at most 10<sup>22</sup>, both exact as doubles),
 * and that double becomes the float. Rounding twice gives the wrong float only when the double lies
 * exactly on a midpoint between two floats; any double within one double-ulp of a midpoint, any
 * result outside the normal float range (subnormal, overflow), and any number the fast path cannot
 * take (more digits, a larger exponent) is read by {@link Float#parseFloat} from the text instead.
 * {@code DecimalFloatTest} checks millions of values against {@link Float#parseFloat}.
 */
final class DecimalFloat {

  /** The most significant digits the fast path accumulates (they fit a {@code long}). */
  static final int MAX_DIGITS = 18;

  private static final long TWO_53 = 1L << 53;

  /** Float32's 24-bit significand in a double's 53: the 29 low bits below it, and their midpoint. */
  private static final long LOW = (1L << 29) - 1;
  private static final long HALF = 1L << 28;

  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private DecimalFloat() {}

  /**
   * The float32 nearest {@code ±digits × 10^exponent} (round half to even), the value of the text
   * {@code text[start, end)} that spells it; the text is read only when the fast path cannot decide.
   *
   * @param negative the sign
   * @param digits the significant digits, below 10<sup>{@link #MAX_DIGITS}</sup>
   * @param exponent the power of ten the digits are scaled by
   */
  static float value(boolean negative, long digits, int exponent, byte[] text, int start, int end) {
    if (digits < TWO_53 && exponent >= -22 && exponent <= 22) {
      double d = exponent >= 0 ? digits * POWERS[exponent] : digits / POWERS[-exponent];
      float f = (float) d;
      long low = Double.doubleToRawLongBits(d) & LOW;
      // one test without branches (C2 compiles the chain of ifs to branches that cost more than the division):
      // not within one double-ulp of a float midpoint, and a normal float or zero
      boolean once = Long.compareUnsigned(low - (HALF - 1), 3) >= 0 & d <= Float.MAX_VALUE & (d >= Float.MIN_NORMAL | digits == 0);
      if (once) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(f) | (negative ? Integer.MIN_VALUE : 0));
      }
    }
    return Float.parseFloat(new String(text, start, end - start, StandardCharsets.ISO_8859_1));
  }
}

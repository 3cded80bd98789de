package dev.rnnx.tensorio;

/**
 * Conversions between doubles and the 16-bit float formats (IEEE half and bfloat16), rounding to
 * nearest even, as {@code TensorProto} files and ONNX {@code Cast} need them. JDK 17 has no
 * {@code Float.float16ToFloat}, so they are written out here.
 */
public final class HalfFloats {

  private HalfFloats() {}

  /** The value of IEEE half-precision bits. */
  public static double halfToDouble(int bits) {
    double sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
    int exp = (bits >> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) {
      return mant != 0 ? Double.NaN : sign * Double.POSITIVE_INFINITY;
    }
    if (exp == 0) {
      return sign * mant * 0x1p-24;
    }
    return sign * (1024 + mant) * Math.scalb(1.0, exp - 25);
  }

  /** The IEEE half-precision bits nearest to {@code v} (round half to even, overflow to infinity). */
  public static int doubleToHalf(double v) {
    if (Double.isNaN(v)) {
      return 0x7E00;
    }
    int sign = (Double.doubleToRawLongBits(v) < 0) ? 0x8000 : 0;
    double a = Math.abs(v);
    if (a >= 65520.0) { // halfway between 65504 (max half) and 65536 rounds to infinity
      return sign | 0x7C00;
    }
    if (a < 0x1p-14) { // subnormal: multiples of 2^-24; 1024 units is the smallest normal
      return sign | (int) Math.rint(a * 0x1p24);
    }
    int e = Math.getExponent(a);
    long q = (long) Math.rint(Math.scalb(a, 10 - e)); // in [1024, 2048]
    if (q == 2048) {
      q = 1024;
      e++;
    }
    if (e > 15) {
      return sign | 0x7C00;
    }
    return sign | ((e + 15) << 10) | (int) (q - 1024);
  }

  /** The value of bfloat16 bits (the upper half of a float32). */
  public static double bfloat16ToDouble(int bits) {
    return Float.intBitsToFloat((bits & 0xFFFF) << 16);
  }

  /**
   * The bfloat16 bits nearest to {@code v}: rounded to float32 first, then to bfloat16 with round
   * half to even, as ONNX's reference implementation does. NaN becomes the quiet NaN {@code 0x7FC0}.
   */
  public static int doubleToBfloat16(double v) {
    float f = (float) v;
    if (Float.isNaN(f)) {
      return 0x7FC0;
    }
    int bits = Float.floatToRawIntBits(f);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return (rounded >>> 16) & 0xFFFF;
  }
}

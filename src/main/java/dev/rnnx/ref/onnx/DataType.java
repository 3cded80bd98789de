package dev.rnnx.ref.onnx;

import dev.rnnx.tensorio.ElementType;

/**
 * The ONNX tensor element types the reference evaluator can hold: one for each
 * {@link ElementType} that tensor files hold, which owns the codes, widths, wrapping and rounding;
 * this enum adds what the evaluator needs on top ({@code Cast}'s conversion of doubles).
 *
 * <p>Floating types ({@link #FLOAT}, {@link #DOUBLE}, {@link #FLOAT16}, {@link #BFLOAT16}) are held
 * as {@code double} values and computed in double precision; they are rounded to their own precision
 * only where ONNX says so ({@code Cast}) and when written back to a {@code TensorProto}. Integer
 * types and {@link #BOOL} are held as {@code long} values, wrapped to their own range after every
 * arithmetic operation. {@link #UINT64} values above {@code Long.MAX_VALUE} are held by their bit
 * pattern, so only addition, subtraction and multiplication are exact for them. {@link #STRING}
 * tensors hold Java strings (UTF-8 in a {@code TensorProto}); tensor files cannot hold them, so it
 * has no {@link ElementType} and only {@code Cast}, {@code Identity} and the string operators take it.
 */
public enum DataType {
  /** 32-bit IEEE float. */
  FLOAT(ElementType.FLOAT),
  /** Unsigned 8-bit integer. */
  UINT8(ElementType.UINT8),
  /** Signed 8-bit integer. */
  INT8(ElementType.INT8),
  /** Unsigned 16-bit integer. */
  UINT16(ElementType.UINT16),
  /** Signed 16-bit integer. */
  INT16(ElementType.INT16),
  /** Signed 32-bit integer. */
  INT32(ElementType.INT32),
  /** Signed 64-bit integer. */
  INT64(ElementType.INT64),
  /** Boolean, held as 0 or 1. */
  BOOL(ElementType.BOOL),
  /** 16-bit IEEE half-precision float. */
  FLOAT16(ElementType.FLOAT16),
  /** 64-bit IEEE float. */
  DOUBLE(ElementType.DOUBLE),
  /** Unsigned 32-bit integer. */
  UINT32(ElementType.UINT32),
  /** Unsigned 64-bit integer (held by its bit pattern). */
  UINT64(ElementType.UINT64),
  /** Brain floating point: float32's exponent with a 7-bit mantissa. */
  BFLOAT16(ElementType.BFLOAT16),
  /** UTF-8 strings. */
  STRING(null);

  /** ONNX's {@code TensorProto.DataType.STRING}. */
  static final int STRING_CODE = 8;

  private final ElementType element;

  DataType(ElementType element) {
    this.element = element;
  }

  /**
   * The tensor-file element type this is.
   *
   * @throws IllegalStateException for {@link #STRING}, which tensor files cannot hold
   */
  public ElementType element() {
    if (element == null) {
      throw new IllegalStateException("string tensors have no tensor-file element type");
    }
    return element;
  }

  /** The evaluator type of a tensor-file element type. */
  public static DataType of(ElementType element) {
    return valueOf(element.name());
  }

  /** The {@code TensorProto.DataType} number. */
  public int onnxCode() {
    return element == null ? STRING_CODE : element.onnxCode();
  }

  /** Bytes per element in a {@code TensorProto}'s {@code raw_data}. */
  public int byteSize() {
    return element().byteSize();
  }

  /** Whether values are held as doubles (float, double, float16, bfloat16). */
  public boolean isFloating() {
    return element != null && element.isFloating();
  }

  /** Whether this is a signed or unsigned integer type (not bool). */
  public boolean isInteger() {
    return element != null && element.isInteger();
  }

  /** Whether this is an unsigned integer type. */
  public boolean isUnsigned() {
    return element != null && element.isUnsigned();
  }

  /**
   * The type with the given {@code TensorProto.DataType} number.
   *
   * @throws IllegalArgumentException for a code this evaluator does not hold (complex,
   *     float8, int4), naming it and listing the supported ones
   */
  public static DataType fromOnnx(int code) {
    return code == STRING_CODE ? STRING : of(ElementType.fromOnnx(code));
  }

  /**
   * Wraps an integer to this type's range, as a C cast would (two's complement truncation); bool
   * maps non-zero to 1.
   *
   * @throws IllegalStateException on a floating type
   */
  public long wrap(long v) {
    return element().wrap(v);
  }

  /**
   * Rounds a double to this floating type's precision (round to nearest even), as {@code Cast} does.
   * Double is returned unchanged.
   *
   * @throws IllegalStateException on a non-floating type
   */
  public double round(double v) {
    return element().round(v);
  }

  /**
   * Converts a double to this integer or bool type as ONNX {@code Cast} does: truncation toward
   * zero (NaN becomes 0), saturation to the 64-bit range, then wrapping to this type's width; bool
   * tests for non-zero (NaN is true).
   */
  long castToLong(double v) {
    if (this == BOOL) {
      return v != 0 || Double.isNaN(v) ? 1 : 0;
    }
    if (Double.isNaN(v)) {
      return 0;
    }
    if (this == UINT64 && v >= 0x1p63) {
      return (long) (v - 0x1p63) ^ Long.MIN_VALUE;
    }
    // saturating conversion to long first, then wrap as a C cast of an in-range value would
    return wrap((long) v);
  }
}

package dev.rnnx.tensorio;

import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX tensor element types a {@code TensorProto} file may hold here, with their
 * {@code TensorProto.DataType} codes and {@code raw_data} widths.
 *
 * <p>Floating types ({@link #FLOAT}, {@link #DOUBLE}, {@link #FLOAT16}, {@link #BFLOAT16}) are held
 * as {@code double} values ({@link TypedTensor}); they are rounded to their own precision
 * ({@link #round}) when written to a {@code TensorProto}. Integer types and {@link #BOOL} are held as
 * {@code long} values, wrapped to their own range ({@link #wrap}). {@link #UINT64} values above
 * {@code Long.MAX_VALUE} are held by their bit pattern.
 */
public enum ElementType {
  /** 32-bit IEEE float. */
  FLOAT(1, 4),
  /** Unsigned 8-bit integer. */
  UINT8(2, 1),
  /** Signed 8-bit integer. */
  INT8(3, 1),
  /** Unsigned 16-bit integer. */
  UINT16(4, 2),
  /** Signed 16-bit integer. */
  INT16(5, 2),
  /** Signed 32-bit integer. */
  INT32(6, 4),
  /** Signed 64-bit integer. */
  INT64(7, 8),
  /** Boolean, held as 0 or 1. */
  BOOL(9, 1),
  /** 16-bit IEEE half-precision float. */
  FLOAT16(10, 2),
  /** 64-bit IEEE float. */
  DOUBLE(11, 8),
  /** Unsigned 32-bit integer. */
  UINT32(12, 4),
  /** Unsigned 64-bit integer (held by its bit pattern). */
  UINT64(13, 8),
  /** Brain floating point: float32's exponent with a 7-bit mantissa. */
  BFLOAT16(16, 2);

  private final int onnxCode;
  private final int byteSize;

  ElementType(int onnxCode, int byteSize) {
    this.onnxCode = onnxCode;
    this.byteSize = byteSize;
  }

  /** The {@code TensorProto.DataType} number. */
  public int onnxCode() {
    return onnxCode;
  }

  /** Bytes per element in a {@code TensorProto}'s {@code raw_data}. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether values are held as doubles (float, double, float16, bfloat16). */
  public boolean isFloating() {
    return this == FLOAT || this == DOUBLE || this == FLOAT16 || this == BFLOAT16;
  }

  /** Whether this is a signed or unsigned integer type (not bool). */
  public boolean isInteger() {
    return !isFloating() && this != BOOL;
  }

  /** Whether this is an unsigned integer type. */
  public boolean isUnsigned() {
    return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
  }

  /**
   * The type with the given {@code TensorProto.DataType} number.
   *
   * @throws IllegalArgumentException for a code not held here (string, complex,
   *     float8, int4), naming it and listing the supported ones
   */
  public static ElementType fromOnnx(int code) {
    for (ElementType t : values()) {
      if (t.onnxCode == code) {
        return t;
      }
    }
    List<String> supported = new ArrayList<>();
    for (ElementType t : values()) {
      supported.add(t + "(" + t.onnxCode + ")");
    }
    throw new IllegalArgumentException("unsupported ONNX data type " + code + " (" + onnxName(code)
        + "), expected one of " + supported);
  }

  private static String onnxName(int code) {
    try {
      ai.onnx.proto.OnnxMl.TensorProto.DataType t = ai.onnx.proto.OnnxMl.TensorProto.DataType.forNumber(code);
      return t == null ? "unknown" : t.name();
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Wraps an integer to this type's range, as a C cast would (two's complement truncation); bool
   * maps non-zero to 1.
   *
   * @throws IllegalStateException on a floating type
   */
  public long wrap(long v) {
    switch (this) {
      case BOOL:
        return v != 0 ? 1 : 0;
      case INT8:
        return (byte) v;
      case UINT8:
        return v & 0xFFL;
      case INT16:
        return (short) v;
      case UINT16:
        return v & 0xFFFFL;
      case INT32:
        return (int) v;
      case UINT32:
        return v & 0xFFFFFFFFL;
      case INT64:
      case UINT64:
        return v;
      default:
        throw new IllegalStateException(this + " is not an integer type");
    }
  }

  /**
   * Rounds a double to this floating type's precision (round to nearest even), as {@code Cast} does.
   * Double is returned unchanged.
   *
   * @throws IllegalStateException on a non-floating type
   */
  public double round(double v) {
    switch (this) {
      case DOUBLE:
        return v;
      case FLOAT:
        return (float) v;
      case FLOAT16:
        return HalfFloats.halfToDouble(HalfFloats.doubleToHalf(v));
      case BFLOAT16:
        return HalfFloats.bfloat16ToDouble(HalfFloats.doubleToBfloat16(v));
      default:
        throw new IllegalStateException(this + " is not a floating type");
    }
  }
}

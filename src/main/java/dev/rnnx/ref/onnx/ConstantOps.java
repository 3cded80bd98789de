package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;

/**
 * Operators that make or convert values: {@code Constant}, {@code ConstantOfShape}, {@code Cast}
 * and {@code CastLike}.
 *
 * <p>{@code Cast} follows ONNX: floating to floating rounds to nearest even at the target's
 * precision; floating to integer truncates toward zero (NaN becomes 0) and wraps to the target's
 * width; integer to integer wraps; anything to bool tests for non-zero. Strings are not supported.
 */
final class ConstantOps {

  private ConstantOps() {}

  /** {@code Constant}: {@code value}, {@code value_float(s)} or {@code value_int(s)}. */
  static List<Value> constant(Node node, List<Value> in) {
    TensorProto t = node.getTensor("value");
    if (t != null) {
      return List.of(TensorProtos.decode(t));
    }
    if (node.has("value_float")) {
      return List.of(Value.ofDoubles(DataType.FLOAT, new long[0], new double[] {node.getFloat("value_float", 0)}));
    }
    if (node.has("value_floats")) {
      double[] f = node.getFloats("value_floats");
      return List.of(Value.ofDoubles(DataType.FLOAT, new long[] {f.length}, f));
    }
    if (node.has("value_int")) {
      return List.of(Value.ofInt64(new long[0], node.getInt("value_int", 0)));
    }
    if (node.has("value_ints")) {
      long[] v = node.getInts("value_ints");
      return List.of(Value.ofInt64(new long[] {v.length}, v));
    }
    throw new UnsupportedOperationException("Constant with attributes " + node.attributeNames()
        + " is not supported; expected one of value, value_float, value_floats, value_int, value_ints");
  }

  /** {@code ConstantOfShape}: a tensor of the given shape filled with {@code value} (default float 0). */
  static List<Value> constantOfShape(Node node, List<Value> in) {
    long[] shape = ShapeOps.ints(node.required(in, 0, "input"), "input");
    TensorProto t = node.getTensor("value");
    Value fill = t == null ? Value.ofDoubles(DataType.FLOAT, new long[] {1}, new double[] {0}) : TensorProtos.decode(t);
    if (fill.size() != 1) {
      throw new IllegalArgumentException("value must hold one element, got " + fill.size());
    }
    int n = Shapes.size(shape);
    if (fill.type().isFloating()) {
      double[] r = new double[n];
      java.util.Arrays.fill(r, fill.getDouble(0));
      return List.of(Value.wrapDoubles(fill.type(), shape, r));
    }
    long[] r = new long[n];
    java.util.Arrays.fill(r, fill.getLong(0));
    return List.of(Value.wrapLongs(fill.type(), shape, r));
  }

  static List<Value> cast(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    DataType to = DataType.fromOnnx((int) node.getInt("to"));
    return List.of(convert(x, to));
  }

  static List<Value> castLike(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value like = node.required(in, 1, "target_type");
    return List.of(convert(x, like.type()));
  }

  /** Converts every element of {@code x} to {@code to} as {@code Cast} does. */
  static Value convert(Value x, DataType to) {
    int n = x.size();
    long[] shape = x.shape();
    if (to == DataType.STRING || x.type() == DataType.STRING) {
      return StringOps.cast(x, to);
    }
    if (to.isFloating()) {
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = to.round(asDouble(x, i));
      }
      return Value.wrapDoubles(to, shape, r);
    }
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      r[i] = x.type().isFloating() ? to.castToLong(x.getDouble(i)) : to.wrap(x.getLong(i));
    }
    return Value.wrapLongs(to, shape, r);
  }

  /** One element as a double, reading UINT64 bit patterns as unsigned. */
  static double asDouble(Value x, int i) {
    if (x.type() == DataType.UINT64) {
      long v = x.getLong(i);
      return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
    return x.getDouble(i);
  }
}

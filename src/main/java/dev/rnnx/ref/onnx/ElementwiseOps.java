package dev.rnnx.ref.onnx;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Element-wise operators with numpy (multidirectional) broadcasting: arithmetic ({@code Add},
 * {@code Sub}, {@code Mul}, {@code Div}, {@code Pow}), comparisons and logic ({@code Equal},
 * {@code Greater}, {@code Less}, {@code GreaterOrEqual}, {@code LessOrEqual}, {@code And},
 * {@code Or}, {@code Xor}, {@code Not}), {@code Where}, and the unary math functions.
 *
 * <p>Floating inputs are computed in double precision. Integer inputs are computed in 64-bit
 * integers and wrapped to their type; integer {@code Div} truncates toward zero, as C and ONNX
 * Runtime do, and fails on division by zero.
 */
final class ElementwiseOps {

  private ElementwiseOps() {}

  // ---- arithmetic ------------------------------------------------------------------------------

  static List<Value> add(Node node, List<Value> in) {
    return List.of(arith(node, in, Double::sum, (a, b) -> a + b));
  }

  static List<Value> sub(Node node, List<Value> in) {
    return List.of(arith(node, in, (a, b) -> a - b, (a, b) -> a - b));
  }

  static List<Value> mul(Node node, List<Value> in) {
    return List.of(arith(node, in, (a, b) -> a * b, (a, b) -> a * b));
  }

  static List<Value> div(Node node, List<Value> in) {
    Value a = node.required(in, 0, "A");
    boolean unsigned64 = a.type() == DataType.UINT64;
    return List.of(arith(node, in, (x, y) -> x / y, (x, y) -> {
      if (y == 0) {
        throw new IllegalArgumentException("integer division by zero");
      }
      return unsigned64 ? Long.divideUnsigned(x, y) : x / y;
    }));
  }

  private static Value arith(Node node, List<Value> in, DoubleBinaryOperator f, LongBinaryOperator g) {
    Value a = node.required(in, 0, "A");
    Value b = legacyBroadcast(node, a, node.required(in, 1, "B"));
    sameType(a, b);
    long[] out = Shapes.broadcast(a.shapeRef(), b.shapeRef());
    int[] ia = Shapes.broadcastIndex(a.shapeRef(), out);
    int[] ib = Shapes.broadcastIndex(b.shapeRef(), out);
    int n = ia.length;
    if (a.type().isFloating()) {
      double[] x = a.doublesRef();
      double[] y = b.doublesRef();
      double[] r = new double[n];
      for (int k = 0; k < n; k++) {
        r[k] = f.applyAsDouble(x[ia[k]], y[ib[k]]);
      }
      return Value.wrapDoubles(a.type(), out, r);
    }
    if (a.type() == DataType.BOOL) {
      throw new IllegalArgumentException("arithmetic is not defined on BOOL tensors");
    }
    long[] x = a.longsRef();
    long[] y = b.longsRef();
    long[] r = new long[n];
    for (int k = 0; k < n; k++) {
      r[k] = g.applyAsLong(x[ia[k]], y[ib[k]]);
    }
    return Value.wrapLongs(a.type(), out, r);
  }

  /**
   * Before opset 7, {@code B} broadcast onto {@code A} only with {@code broadcast = 1}, its
   * dimensions aligned at {@code axis} (default: the trailing ones); this reshapes B so that numpy
   * broadcasting gives the same result.
   */
  static Value legacyBroadcast(Node node, Value a, Value b) {
    if (node.opset() >= 7 || node.getInt("broadcast", 0) == 0 || !node.has("axis")) {
      return b;
    }
    int axis = Shapes.axis(node.getInt("axis"), a.rank(), "axis");
    long[] s = new long[a.rank() - axis];
    java.util.Arrays.fill(s, 1);
    System.arraycopy(b.shapeRef(), 0, s, 0, b.rank());
    return b.type().isFloating() ? Value.wrapDoubles(b.type(), s, b.doublesRef())
        : Value.wrapLongs(b.type(), s, b.toLongArray());
  }

  private static void sameType(Value a, Value b) {
    if (a.type() != b.type()) {
      throw new IllegalArgumentException("inputs must have the same type, got " + a.type() + " and " + b.type());
    }
  }

  /**
   * {@code Pow}: the result has the base's type; from opset 12 the exponent may have another type.
   * Integer bases with non-negative integer exponents are exact; otherwise the power is computed in
   * double and converted to the base's type (truncating, for integer bases).
   */
  static List<Value> pow(Node node, List<Value> in) {
    Value a = node.required(in, 0, "X");
    Value b = legacyBroadcast(node, a, node.required(in, 1, "Y"));
    if (node.opset() < 12) {
      sameType(a, b);
    }
    long[] out = Shapes.broadcast(a.shapeRef(), b.shapeRef());
    int[] ia = Shapes.broadcastIndex(a.shapeRef(), out);
    int[] ib = Shapes.broadcastIndex(b.shapeRef(), out);
    int n = ia.length;
    if (a.type().isFloating()) {
      double[] r = new double[n];
      for (int k = 0; k < n; k++) {
        r[k] = Math.pow(a.getDouble(ia[k]), b.getDouble(ib[k]));
      }
      return List.of(Value.wrapDoubles(a.type(), out, r));
    }
    long[] r = new long[n];
    for (int k = 0; k < n; k++) {
      if (!b.type().isFloating() && b.getLong(ib[k]) >= 0) {
        r[k] = intPow(a.getLong(ia[k]), b.getLong(ib[k]));
      } else {
        r[k] = a.type().castToLong(Math.pow(a.getDouble(ia[k]), b.getDouble(ib[k])));
      }
    }
    return List.of(Value.wrapLongs(a.type(), out, r));
  }

  private static long intPow(long base, long exp) {
    long result = 1;
    long b = base;
    long e = exp;
    while (e > 0) {
      if ((e & 1) != 0) {
        result *= b;
      }
      b *= b;
      e >>= 1;
    }
    return result;
  }

  // ---- comparisons and logic -------------------------------------------------------------------

  /** A comparison on doubles (floating) or longs (integers, bool); unsigned 64-bit compared unsigned. */
  private interface Compare {
    boolean test(int sign);
  }

  private static List<Value> compare(Node node, List<Value> in, Compare c) {
    Value a = node.required(in, 0, "A");
    Value b = node.required(in, 1, "B");
    sameType(a, b);
    long[] out = Shapes.broadcast(a.shapeRef(), b.shapeRef());
    int[] ia = Shapes.broadcastIndex(a.shapeRef(), out);
    int[] ib = Shapes.broadcastIndex(b.shapeRef(), out);
    long[] r = new long[ia.length];
    for (int k = 0; k < r.length; k++) {
      boolean result;
      if (a.type().isFloating()) {
        double x = a.getDouble(ia[k]);
        double y = b.getDouble(ib[k]);
        // NaN compares false with everything (IEEE), including for Equal
        result = !Double.isNaN(x) && !Double.isNaN(y) && c.test(x < y ? -1 : (x > y ? 1 : 0));
      } else {
        long x = a.getLong(ia[k]);
        long y = b.getLong(ib[k]);
        int s = a.type() == DataType.UINT64 ? Long.compareUnsigned(x, y) : Long.compare(x, y);
        result = c.test(Integer.signum(s));
      }
      r[k] = result ? 1 : 0;
    }
    return List.of(Value.wrapLongs(DataType.BOOL, out, r));
  }

  static List<Value> equal(Node node, List<Value> in) {
    return compare(node, in, s -> s == 0);
  }

  static List<Value> greater(Node node, List<Value> in) {
    return compare(node, in, s -> s > 0);
  }

  static List<Value> less(Node node, List<Value> in) {
    return compare(node, in, s -> s < 0);
  }

  static List<Value> greaterOrEqual(Node node, List<Value> in) {
    return compare(node, in, s -> s >= 0);
  }

  static List<Value> lessOrEqual(Node node, List<Value> in) {
    return compare(node, in, s -> s <= 0);
  }

  private static List<Value> logic(Node node, List<Value> in, LongBinaryOperator f) {
    Value a = node.required(in, 0, "A");
    Value b = node.required(in, 1, "B");
    if (a.type() != DataType.BOOL || b.type() != DataType.BOOL) {
      throw new IllegalArgumentException("inputs must be BOOL, got " + a.type() + " and " + b.type());
    }
    long[] out = Shapes.broadcast(a.shapeRef(), b.shapeRef());
    int[] ia = Shapes.broadcastIndex(a.shapeRef(), out);
    int[] ib = Shapes.broadcastIndex(b.shapeRef(), out);
    long[] r = new long[ia.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = f.applyAsLong(a.getLong(ia[k]), b.getLong(ib[k]));
    }
    return List.of(Value.wrapLongs(DataType.BOOL, out, r));
  }

  static List<Value> and(Node node, List<Value> in) {
    return logic(node, in, (x, y) -> x & y);
  }

  static List<Value> or(Node node, List<Value> in) {
    return logic(node, in, (x, y) -> x | y);
  }

  static List<Value> xor(Node node, List<Value> in) {
    return logic(node, in, (x, y) -> x ^ y);
  }

  static List<Value> not(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    if (x.type() != DataType.BOOL) {
      throw new IllegalArgumentException("input must be BOOL, got " + x.type());
    }
    long[] r = new long[x.size()];
    for (int k = 0; k < r.length; k++) {
      r[k] = 1 - x.getLong(k);
    }
    return List.of(Value.wrapLongs(DataType.BOOL, x.shape(), r));
  }

  /** {@code Where(condition, X, Y)}: X where condition is true, else Y, all three broadcast. */
  static List<Value> where(Node node, List<Value> in) {
    Value c = node.required(in, 0, "condition");
    Value x = node.required(in, 1, "X");
    Value y = node.required(in, 2, "Y");
    if (c.type() != DataType.BOOL) {
      throw new IllegalArgumentException("condition must be BOOL, got " + c.type());
    }
    sameType(x, y);
    long[] out = Shapes.broadcast(c.shapeRef(), x.shapeRef(), y.shapeRef());
    int[] ic = Shapes.broadcastIndex(c.shapeRef(), out);
    int[] ix = Shapes.broadcastIndex(x.shapeRef(), out);
    int[] iy = Shapes.broadcastIndex(y.shapeRef(), out);
    int n = ic.length;
    if (x.type().isFloating()) {
      double[] r = new double[n];
      for (int k = 0; k < n; k++) {
        r[k] = c.getLong(ic[k]) != 0 ? x.getDouble(ix[k]) : y.getDouble(iy[k]);
      }
      return List.of(Value.wrapDoubles(x.type(), out, r));
    }
    long[] r = new long[n];
    for (int k = 0; k < n; k++) {
      r[k] = c.getLong(ic[k]) != 0 ? x.getLong(ix[k]) : y.getLong(iy[k]);
    }
    return List.of(Value.wrapLongs(x.type(), out, r));
  }

  // ---- unary -----------------------------------------------------------------------------------

  /** A unary function on floating tensors only. */
  static OpKernel floating(DoubleUnaryOperator f) {
    return (node, in) -> {
      Value x = node.required(in, 0, "X");
      if (!x.type().isFloating()) {
        throw new IllegalArgumentException(node.opType() + " needs a floating input, got " + x.type());
      }
      double[] d = x.doublesRef();
      double[] r = new double[d.length];
      for (int k = 0; k < r.length; k++) {
        r[k] = f.applyAsDouble(d[k]);
      }
      return List.of(Value.wrapDoubles(x.type(), x.shape(), r));
    };
  }

  /** A unary function defined on floating and (signed or unsigned) integer tensors. */
  static OpKernel numeric(DoubleUnaryOperator f, LongUnaryOperator g) {
    return (node, in) -> {
      Value x = node.required(in, 0, "X");
      if (x.type().isFloating()) {
        return floating(f).run(node, in);
      }
      if (x.type() == DataType.BOOL) {
        throw new IllegalArgumentException(node.opType() + " is not defined on BOOL");
      }
      long[] d = x.longsRef();
      long[] r = new long[d.length];
      for (int k = 0; k < r.length; k++) {
        r[k] = g.applyAsLong(d[k]);
      }
      return List.of(Value.wrapLongs(x.type(), x.shape(), r));
    };
  }

  static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  /** {@code Softplus}: {@code log(1 + e^x)}, computed without overflow for large x. */
  static double softplus(double x) {
    return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  /** {@code LeakyRelu}, {@code Elu}, {@code HardSigmoid}, {@code ThresholdedRelu} with their alpha/beta. */
  static List<Value> leakyRelu(Node node, List<Value> in) {
    double alpha = node.getFloat("alpha", 0.01);
    return floating(x -> x >= 0 ? x : alpha * x).run(node, in);
  }

  static List<Value> elu(Node node, List<Value> in) {
    double alpha = node.getFloat("alpha", 1.0);
    return floating(x -> x >= 0 ? x : alpha * (Math.exp(x) - 1)).run(node, in);
  }

  static List<Value> hardSigmoid(Node node, List<Value> in) {
    double alpha = node.getFloat("alpha", 0.2);
    double beta = node.getFloat("beta", 0.5);
    return floating(x -> Math.min(1, Math.max(0, alpha * x + beta))).run(node, in);
  }

  /** Gelu (opset 20): {@code x·Φ(x)} exactly ({@code approximate="none"}), or its tanh approximation. */
  static List<Value> gelu(Node node, List<Value> in) {
    String approximate = node.getString("approximate", "none");
    if (approximate.equals("tanh")) {
      double c = Math.sqrt(2 / Math.PI);
      return floating(x -> 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x)))).run(node, in);
    }
    if (!approximate.equals("none")) {
      throw new IllegalArgumentException("Gelu approximate '" + approximate + "', expected none or tanh");
    }
    return floating(x -> 0.5 * x * (1 + MathOps.erf(x / Math.sqrt(2)))).run(node, in);
  }

  static List<Value> thresholdedRelu(Node node, List<Value> in) {
    double alpha = node.getFloat("alpha", 1.0);
    return floating(x -> x > alpha ? x : 0).run(node, in);
  }
}

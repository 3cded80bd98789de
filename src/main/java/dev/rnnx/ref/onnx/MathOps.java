package dev.rnnx.ref.onnx;

import dev.rnnx.ref.Erf;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Element-wise math beyond {@link ElementwiseOps}: the variadic {@code Max}, {@code Min},
 * {@code Mean}, {@code Sum}; {@code Clip}, {@code Mod}, {@code PRelu}, {@code BitShift}, the
 * bitwise operators; and the parameterised activations ({@code Selu}, {@code Celu},
 * {@code Shrink}, {@code HardSwish}) and predicates ({@code IsInf}, {@code IsNaN}, {@code Sign}).
 *
 * <p>Floating inputs are computed in double precision; integer inputs in 64-bit integers wrapped to
 * their type.
 */
final class MathOps {

  private MathOps() {}

  /** A variadic kernel folding its inputs with numpy broadcasting. */
  private static OpKernel variadic(DoubleBinaryOperator f, LongBinaryOperator g, boolean mean) {
    return (node, in) -> {
      Value acc = node.required(in, 0, "data_0");
      int count = 1;
      for (int i = 1; i < in.size(); i++) {
        Value b = node.required(in, i, "data_" + i);
        acc = binary(acc, b, f, g);
        count++;
      }
      if (mean) {
        double[] d = acc.toDoubleArray();
        for (int k = 0; k < d.length; k++) {
          d[k] /= count;
        }
        acc = Value.wrapDoubles(acc.type(), acc.shape(), d);
      }
      return List.of(acc);
    };
  }

  /** Applies a binary function with numpy broadcasting; both inputs of one type. */
  static Value binary(Value a, Value b, DoubleBinaryOperator f, LongBinaryOperator g) {
    if (a.type() != b.type()) {
      throw new IllegalArgumentException("inputs must have the same type, got " + a.type() + " and " + b.type());
    }
    long[] out = Shapes.broadcast(a.shapeRef(), b.shapeRef());
    int[] ia = Shapes.broadcastIndex(a.shapeRef(), out);
    int[] ib = Shapes.broadcastIndex(b.shapeRef(), out);
    if (a.type().isFloating()) {
      double[] x = a.doublesRef();
      double[] y = b.doublesRef();
      double[] r = new double[ia.length];
      for (int k = 0; k < r.length; k++) {
        r[k] = f.applyAsDouble(x[ia[k]], y[ib[k]]);
      }
      return Value.wrapDoubles(a.type(), out, r);
    }
    long[] x = a.longsRef();
    long[] y = b.longsRef();
    long[] r = new long[ia.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = g.applyAsLong(x[ia[k]], y[ib[k]]);
    }
    return Value.wrapLongs(a.type(), out, r);
  }

  private static double nanMax(double x, double y) {
    return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
  }

  private static double nanMin(double x, double y) {
    return Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
  }

  /** {@code Max}: NaN propagates; unsigned 64-bit compared unsigned. */
  static OpKernel max() {
    return (node, in) -> {
      boolean u = node.required(in, 0, "data_0").type() == DataType.UINT64;
      return variadic(MathOps::nanMax, (x, y) -> (u ? Long.compareUnsigned(x, y) : Long.compare(x, y)) >= 0 ? x : y,
          false).run(node, in);
    };
  }

  /** {@code Min}: NaN propagates; unsigned 64-bit compared unsigned. */
  static OpKernel min() {
    return (node, in) -> {
      boolean u = node.required(in, 0, "data_0").type() == DataType.UINT64;
      return variadic(MathOps::nanMin, (x, y) -> (u ? Long.compareUnsigned(x, y) : Long.compare(x, y)) <= 0 ? x : y,
          false).run(node, in);
    };
  }

  static final OpKernel SUM = variadic(Double::sum, Long::sum, false);
  static final OpKernel MEAN = variadic(Double::sum, Long::sum, true);

  /**
   * {@code Clip}: bounds from the attributes {@code min}/{@code max} before opset 11, from the
   * optional inputs after; NaN stays NaN.
   */
  static List<Value> clip(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    double lo;
    double hi;
    if (node.opset() < 11) {
      lo = node.getFloat("min", Double.NEGATIVE_INFINITY);
      hi = node.getFloat("max", Double.POSITIVE_INFINITY);
    } else {
      Value mn = Node.input(in, 1);
      Value mx = Node.input(in, 2);
      lo = mn == null ? Double.NEGATIVE_INFINITY : mn.getDouble(0);
      hi = mx == null ? Double.POSITIVE_INFINITY : mx.getDouble(0);
    }
    if (x.type().isFloating()) {
      double[] d = x.toDoubleArray();
      for (int k = 0; k < d.length; k++) {
        if (!Double.isNaN(d[k])) {
          d[k] = Math.min(hi, Math.max(lo, d[k]));
        }
      }
      return List.of(Value.wrapDoubles(x.type(), x.shape(), d));
    }
    long[] l = x.toLongArray();
    Value mn = node.opset() < 11 ? null : Node.input(in, 1);
    Value mx = node.opset() < 11 ? null : Node.input(in, 2);
    boolean u = x.type() == DataType.UINT64;
    for (int k = 0; k < l.length; k++) {
      if (mn != null && (u ? Long.compareUnsigned(l[k], mn.getLong(0)) : Long.compare(l[k], mn.getLong(0))) < 0) {
        l[k] = mn.getLong(0);
      }
      if (mx != null && (u ? Long.compareUnsigned(l[k], mx.getLong(0)) : Long.compare(l[k], mx.getLong(0))) > 0) {
        l[k] = mx.getLong(0);
      }
    }
    return List.of(Value.wrapLongs(x.type(), x.shape(), l));
  }

  /**
   * {@code Mod}: with {@code fmod = 0} (integers only) the result takes the divisor's sign, as
   * Python's {@code %}; with {@code fmod = 1} the dividend's, as C's {@code fmod}.
   */
  static List<Value> mod(Node node, List<Value> in) {
    Value a = node.required(in, 0, "A");
    Value b = node.required(in, 1, "B");
    boolean fmod = node.getInt("fmod", 0) != 0;
    if (a.type().isFloating() && !fmod) {
      throw new IllegalArgumentException("Mod on floating inputs needs fmod = 1");
    }
    boolean u = a.type() == DataType.UINT64;
    return List.of(binary(a, b, (x, y) -> x % y, (x, y) -> {
      if (y == 0) {
        throw new IllegalArgumentException("integer modulo by zero");
      }
      if (u) {
        return Long.remainderUnsigned(x, y);
      }
      return fmod ? x % y : Math.floorMod(x, y);
    }));
  }

  /** {@code PRelu}: {@code x < 0 ? slope * x : x}, the slope broadcast to x (unidirectionally). */
  static List<Value> prelu(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value slope = node.required(in, 1, "slope");
    long[] sShape = slope.shapeRef();
    if (node.opset() < 7 && sShape.length == 1 && x.rank() > 1 && sShape[0] == x.dim(1) && sShape[0] != x.dim(-1)) {
      long[] s = new long[x.rank() - 1];
      java.util.Arrays.fill(s, 1);
      s[0] = sShape[0];
      slope = Value.wrapDoubles(slope.type(), s, slope.toDoubleArray());
    }
    return List.of(binary(x, slope, (v, s) -> v < 0 ? s * v : v, (v, s) -> v < 0 ? s * v : v));
  }

  /** {@code BitShift}: unsigned integers shifted left or right ({@code direction}). */
  static List<Value> bitShift(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value y = node.required(in, 1, "Y");
    if (!x.type().isUnsigned()) {
      throw new IllegalArgumentException("BitShift needs unsigned integers, got " + x.type());
    }
    String dir = node.getString("direction", "");
    boolean left;
    if (dir.equals("LEFT")) {
      left = true;
    } else if (dir.equals("RIGHT")) {
      left = false;
    } else {
      throw new IllegalArgumentException("direction must be LEFT or RIGHT, got '" + dir + "'");
    }
    return List.of(binary(x, y, (a, b) -> Double.NaN, (a, b) -> b >= 64 ? 0 : (left ? a << b : a >>> b)));
  }

  /** {@code BitwiseAnd}, {@code BitwiseOr}, {@code BitwiseXor} on integers. */
  static OpKernel bitwise(LongBinaryOperator g) {
    return (node, in) -> List.of(binary(node.required(in, 0, "A"), node.required(in, 1, "B"),
        (a, b) -> Double.NaN, g));
  }

  static List<Value> selu(Node node, List<Value> in) {
    double alpha = node.getFloat("alpha", 1.67326319217681884765625);
    double gamma = node.getFloat("gamma", 1.05070102214813232421875);
    return ElementwiseOps.floating(x -> x > 0 ? gamma * x : gamma * (alpha * Math.exp(x) - alpha)).run(node, in);
  }

  static List<Value> celu(Node node, List<Value> in) {
    double alpha = node.getFloat("alpha", 1.0);
    return ElementwiseOps.floating(x -> Math.max(0, x) + Math.min(0, alpha * (Math.exp(x / alpha) - 1)))
        .run(node, in);
  }

  static List<Value> shrink(Node node, List<Value> in) {
    double lambd = node.getFloat("lambd", 0.5);
    double bias = node.getFloat("bias", 0.0);
    return ElementwiseOps.numeric(x -> x < -lambd ? x + bias : (x > lambd ? x - bias : 0),
        x -> x < -lambd ? (long) (x + bias) : (x > lambd ? (long) (x - bias) : 0)).run(node, in);
  }

  /** {@code IsInf} with {@code detect_positive} and {@code detect_negative}. */
  static List<Value> isInf(Node node, List<Value> in) {
    boolean pos = node.getInt("detect_positive", 1) != 0;
    boolean neg = node.getInt("detect_negative", 1) != 0;
    return predicate(node, in, x -> (pos && x == Double.POSITIVE_INFINITY) || (neg && x == Double.NEGATIVE_INFINITY));
  }

  static List<Value> isNaN(Node node, List<Value> in) {
    return predicate(node, in, Double::isNaN);
  }

  private static List<Value> predicate(Node node, List<Value> in, java.util.function.DoublePredicate p) {
    Value x = node.required(in, 0, "X");
    long[] r = new long[x.size()];
    for (int k = 0; k < r.length; k++) {
      r[k] = p.test(x.getDouble(k)) ? 1 : 0;
    }
    return List.of(Value.wrapLongs(DataType.BOOL, x.shape(), r));
  }

  /** {@code Round}: half to even, as numpy and ONNX do. */
  static double round(double x) {
    return Math.rint(x);
  }

  /** {@code Erf} ({@link Erf#erf}). */
  static double erf(double x) {
    return Erf.erf(x);
  }
}

package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * Linear quantisation: {@code QuantizeLinear}, {@code DequantizeLinear},
 * {@code DynamicQuantizeLinear} and {@code MatMulInteger}, the ops of a dynamically quantised
 * model.
 *
 * <p>The arithmetic that decides an integer is done in float32, as ONNX Runtime's CPU kernels do
 * it, so that the evaluator picks the same integers: {@code x / scale} is a float32 division,
 * rounded to the nearest integer with ties to even. Dequantised values {@code (x − zero_point) ·
 * scale} are exact in double precision (an 8-bit integer times a float32 scale needs 32 bits), so
 * rounding them to float32 gives ONNX Runtime's float32 product. Integer products are exact.
 *
 * <p>{@code DynamicQuantizeLinear} of a tensor whose values are all zero: the specification's
 * formula divides zero by zero; this evaluator does what ONNX Runtime does (scale 1, zero point 0,
 * every value 0).
 */
final class QuantizationOps {

  private QuantizationOps() {}

  /**
   * {@code DynamicQuantizeLinear}: float32 {@code x} to uint8 with a scale and zero point of its own
   * range extended to include 0: {@code scale = (max(0, max x) − min(0, min x)) / 255},
   * {@code zero_point = round(clamp(−min / scale, 0, 255))},
   * {@code y = clamp(round(x / scale) + zero_point, 0, 255)}.
   */
  static List<Value> dynamicQuantizeLinear(Node node, List<Value> in) {
    Value x = node.required(in, 0, "x");
    if (x.type() != DataType.FLOAT) {
      throw new IllegalArgumentException("x must be FLOAT, got " + x.type());
    }
    int n = x.size();
    float min = 0;
    float max = 0;
    for (int i = 0; i < n; i++) {
      float v = (float) x.getDouble(i);
      if (Float.isNaN(v)) {
        throw new IllegalArgumentException("x holds NaN at flat index " + i + ", which has no quantised value");
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float scale = max == min ? 1.0f : (max - min) / 255f;
    long zeroPoint = (long) Math.rint(Math.max(0f, Math.min(255f, 0f - min / scale)));
    long[] y = new long[n];
    for (int i = 0; i < n; i++) {
      y[i] = saturate(Math.rint((float) x.getDouble(i) / scale) + zeroPoint, 0, 255);
    }
    return List.of(Value.wrapLongs(DataType.UINT8, x.shape(), y),
        Value.wrapDoubles(DataType.FLOAT, new long[0], new double[] {scale}),
        Value.wrapLongs(DataType.UINT8, new long[0], new long[] {zeroPoint}));
  }

  /**
   * {@code QuantizeLinear}: {@code y = clamp(round(x / y_scale) + y_zero_point)} to the range of
   * {@code y_zero_point}'s type (uint8 when it is absent, or {@code output_dtype} from opset 21);
   * per tensor (a scalar or one-element scale) or per axis (a 1-D scale along {@code axis}, default
   * 1). Blocked quantisation ({@code block_size}) and float8/int4 outputs are not supported.
   */
  static List<Value> quantizeLinear(Node node, List<Value> in) {
    Value x = node.required(in, 0, "x");
    Value scale = node.required(in, 1, "y_scale");
    Value zeroPoint = Node.input(in, 2);
    refuseBlocks(node);
    DataType out = zeroPoint != null ? zeroPoint.type()
        : node.has("output_dtype") && node.getInt("output_dtype", 0) != 0 ? DataType.fromOnnx((int) node.getInt("output_dtype"))
        : DataType.UINT8;
    long[] range = range(out, "y");
    int[] channel = channels(node, x, scale, zeroPoint, "y_scale", "y_zero_point");
    boolean float32 = scale.type() == DataType.FLOAT;
    long[] y = new long[x.size()];
    for (int i = 0; i < y.length; i++) {
      int c = channel[i];
      double s = scale.getDouble(c);
      double q = float32 ? (float) x.getDouble(i) / (float) s : x.getDouble(i) / s;
      long zp = zeroPoint == null ? 0 : zeroPoint.getLong(c);
      y[i] = saturate(Math.rint(q) + zp, range[0], range[1]);
    }
    return List.of(Value.wrapLongs(out, x.shape(), y));
  }

  /**
   * {@code DequantizeLinear}: {@code y = (x − x_zero_point) · x_scale}, of {@code x_scale}'s type;
   * per tensor or per axis as {@link #quantizeLinear}. Blocked dequantisation is not supported.
   */
  static List<Value> dequantizeLinear(Node node, List<Value> in) {
    Value x = node.required(in, 0, "x");
    Value scale = node.required(in, 1, "x_scale");
    Value zeroPoint = Node.input(in, 2);
    refuseBlocks(node);
    range(x.type(), "x");
    if (!scale.type().isFloating()) {
      throw new IllegalArgumentException("x_scale must be a floating type, got " + scale.type());
    }
    if (zeroPoint != null && zeroPoint.type() != x.type()) {
      throw new IllegalArgumentException("x_zero_point must have x's type " + x.type() + ", got " + zeroPoint.type());
    }
    int[] channel = channels(node, x, scale, zeroPoint, "x_scale", "x_zero_point");
    double[] y = new double[x.size()];
    for (int i = 0; i < y.length; i++) {
      int c = channel[i];
      long zp = zeroPoint == null ? 0 : zeroPoint.getLong(c);
      y[i] = scale.type().round((x.getLong(i) - zp) * scale.getDouble(c));
    }
    return List.of(Value.wrapDoubles(scale.type(), x.shape(), y));
  }

  /**
   * {@code MatMulInteger}: {@code (A − a_zero_point) · (B − b_zero_point)} with numpy matmul
   * broadcasting, int32. A and B are int8 or uint8; a zero point is a scalar (per tensor), a vector
   * of one value per row of a 2-D A (per column of a 2-D B), or an N-D tensor that broadcasts to
   * its operand (A's {@code [..., M, 1]}, B's {@code [..., 1, N]}).
   */
  static List<Value> matMulInteger(Node node, List<Value> in) {
    Value a = node.required(in, 0, "A");
    Value b = node.required(in, 1, "B");
    Value a0 = Node.input(in, 2);
    Value b0 = Node.input(in, 3);
    Value sa = shifted(a, a0, true, "A", "a_zero_point");
    Value sb = shifted(b, b0, false, "B", "b_zero_point");
    return MatrixOps.matMul(node, List.of(sa, sb));
  }

  /** {@code v − zero_point} as INT32 (exact for 8-bit operands). */
  private static Value shifted(Value v, Value zeroPoint, boolean rows, String what, String zpName) {
    if (v.type() != DataType.INT8 && v.type() != DataType.UINT8) {
      throw new IllegalArgumentException(what + " must be INT8 or UINT8, got " + v.type());
    }
    long[] shape = v.shapeRef();
    long[] d = new long[v.size()];
    if (zeroPoint == null) {
      for (int i = 0; i < d.length; i++) {
        d[i] = v.getLong(i);
      }
      return Value.wrapLongs(DataType.INT32, v.shape(), d);
    }
    if (zeroPoint.type() != v.type()) {
      throw new IllegalArgumentException(zpName + " must have " + what + "'s type " + v.type() + ", got " + zeroPoint.type());
    }
    long[] zpShape = zeroPoint.shapeRef();
    if (zeroPoint.size() == 1) {
      zpShape = new long[0];
    } else if (zpShape.length == 1 && rows && v.rank() >= 2) {
      zpShape = new long[] {zpShape[0], 1}; // one zero point per row of A: [M] -> [M, 1]
    }
    int[] idx;
    try {
      long[] target = Shapes.broadcast(shape, zpShape);
      if (!java.util.Arrays.equals(target, shape)) {
        throw new IllegalArgumentException("");
      }
      idx = Shapes.broadcastIndex(zpShape, shape);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(zpName + " of shape " + Shapes.str(zeroPoint.shapeRef()) + " does not fit " + what
          + " of shape " + Shapes.str(shape) + ", expected a scalar or one value per " + (rows ? "row" : "column"));
    }
    for (int i = 0; i < d.length; i++) {
      d[i] = v.getLong(i) - zeroPoint.getLong(idx[i]);
    }
    return Value.wrapLongs(DataType.INT32, v.shape(), d);
  }

  /**
   * For each element of {@code x}, the index of its scale and zero point: 0 per tensor, its
   * coordinate along {@code axis} per axis.
   */
  private static int[] channels(Node node, Value x, Value scale, Value zeroPoint, String scaleName, String zpName) {
    if (zeroPoint != null && !java.util.Arrays.equals(zeroPoint.shapeRef(), scale.shapeRef())) {
      throw new IllegalArgumentException(zpName + " of shape " + Shapes.str(zeroPoint.shapeRef()) + " must have "
          + scaleName + "'s shape " + Shapes.str(scale.shapeRef()));
    }
    int n = x.size();
    int[] channel = new int[n];
    if (scale.rank() == 0 || (scale.rank() == 1 && scale.size() == 1)) {
      return channel;
    }
    if (scale.rank() != 1) {
      throw new IllegalArgumentException(scaleName + " must be a scalar or 1-D, got shape " + Shapes.str(scale.shapeRef()));
    }
    int axis = Shapes.axis(node.getInt("axis", 1), x.rank(), "axis");
    if (scale.size() != x.dim(axis)) {
      throw new IllegalArgumentException(scaleName + " has " + scale.size() + " values, expected one per index of axis "
          + axis + " of x's shape " + Shapes.str(x.shapeRef()));
    }
    int inner = Shapes.product(x.shapeRef(), axis + 1, x.rank());
    int dim = (int) x.dim(axis);
    for (int i = 0; i < n; i++) {
      channel[i] = (i / inner) % dim;
    }
    return channel;
  }

  private static void refuseBlocks(Node node) {
    if (node.getInt("block_size", 0) != 0) {
      throw new UnsupportedOperationException("blocked quantisation (block_size " + node.getInt("block_size", 0)
          + ") is not supported; expected per-tensor or per-axis scales");
    }
  }

  /** The integer range of a quantised type. */
  private static long[] range(DataType type, String what) {
    return switch (type) {
      case UINT8 -> new long[] {0, 255};
      case INT8 -> new long[] {-128, 127};
      case UINT16 -> new long[] {0, 65535};
      case INT16 -> new long[] {-32768, 32767};
      case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
      default -> throw new IllegalArgumentException(what + " must be INT8, UINT8, INT16, UINT16 or INT32, got " + type);
    };
  }

  private static long saturate(double v, long lo, long hi) {
    return (long) Math.max(lo, Math.min(hi, v));
  }

  /**
   * {@code QLinearMatMul}: the integer product of the shifted operands (as {@link #matMulInteger}),
   * rescaled by {@code a_scale * b_scale / y_scale}, rounded half to even, shifted by
   * {@code y_zero_point} and saturated to its type. Scales are per tensor, or per row of A and per
   * column of B.
   */
  static List<Value> qLinearMatMul(Node node, List<Value> in) {
    Value a = node.required(in, 0, "a");
    Value as = node.required(in, 1, "a_scale");
    Value b = node.required(in, 3, "b");
    Value bs = node.required(in, 4, "b_scale");
    Value ys = node.required(in, 6, "y_scale");
    Value yz = node.required(in, 7, "y_zero_point");
    Value acc = MatrixOps.matMul(node, List.of(shifted(a, Node.input(in, 2), true, "a", "a_zero_point"),
        shifted(b, Node.input(in, 5), false, "b", "b_zero_point"))).get(0);
    long rows = acc.dim(-2);
    long cols = acc.dim(-1);
    double[] scale = new double[acc.size()];
    for (int i = 0; i < scale.length; i++) {
      int r = (int) ((i / cols) % rows);
      int c = (int) (i % cols);
      scale[i] = as.getDouble(as.size() == 1 ? 0 : r) * bs.getDouble(bs.size() == 1 ? 0 : c) / ys.getDouble(0);
    }
    return List.of(requantize(acc, scale, yz));
  }

  /**
   * {@code QLinearConv}: {@code Conv} of the shifted input and weight (zero points per tensor, the
   * weight's per output channel), plus the int32 bias, rescaled by
   * {@code x_scale * w_scale[channel] / y_scale} and requantised as {@link #qLinearMatMul} does.
   */
  static List<Value> qLinearConv(Node node, List<Value> in) {
    Value x = node.required(in, 0, "x");
    Value xs = node.required(in, 1, "x_scale");
    Value xz = node.required(in, 2, "x_zero_point");
    Value w = node.required(in, 3, "w");
    Value ws = node.required(in, 4, "w_scale");
    Value wz = node.required(in, 5, "w_zero_point");
    Value ys = node.required(in, 6, "y_scale");
    Value yz = node.required(in, 7, "y_zero_point");
    Value bias = Node.input(in, 8);
    double[] xd = x.toDoubleArray();
    for (int i = 0; i < xd.length; i++) {
      xd[i] -= xz.getDouble(0);
    }
    double[] wd = w.toDoubleArray();
    int per = wd.length / (int) w.dim(0);
    for (int i = 0; i < wd.length; i++) {
      wd[i] -= wz.getDouble(wz.size() == 1 ? 0 : i / per);
    }
    List<Value> args = new java.util.ArrayList<>();
    args.add(Value.wrapDoubles(DataType.DOUBLE, x.shape(), xd));
    args.add(Value.wrapDoubles(DataType.DOUBLE, w.shape(), wd));
    if (bias != null) {
      args.add(Value.wrapDoubles(DataType.DOUBLE, bias.shape(), bias.toDoubleArray()));
    }
    Value acc = ConvOps.conv(node, args).get(0);
    int m = (int) acc.dim(1);
    int inner = Shapes.product(acc.shapeRef(), 2, acc.rank());
    double[] scale = new double[acc.size()];
    for (int i = 0; i < scale.length; i++) {
      int oc = (i / inner) % m;
      scale[i] = xs.getDouble(0) * ws.getDouble(ws.size() == 1 ? 0 : oc) / ys.getDouble(0);
    }
    return List.of(requantize(acc, scale, yz));
  }

  private static Value requantize(Value acc, double[] scale, Value yz) {
    long[] lim = range(yz.type(), "y_zero_point");
    long[] q = new long[acc.size()];
    for (int i = 0; i < q.length; i++) {
      q[i] = saturate(Math.rint(acc.getDouble(i) * scale[i]) + yz.getLong(0), lim[0], lim[1]);
    }
    return Value.wrapLongs(yz.type(), acc.shape(), q);
  }
}

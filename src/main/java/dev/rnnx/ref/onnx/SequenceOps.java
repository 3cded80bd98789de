package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * {@code Range} (opset 11) and {@code ArgMax}.
 *
 * <p>{@code Range(start, limit, delta)}: scalars of one numeric type, giving the 1-D tensor
 * {@code start + i·delta} for {@code i = 0 … max(ceil((limit − start) / delta), 0) − 1}; integer
 * types are computed exactly, floating ones in double.
 *
 * <p>{@code ArgMax}: the int64 index of the largest element along {@code axis} (default 0), the axis
 * kept as size 1 unless {@code keepdims=0}. Among equal maxima the first index wins, or the last with
 * {@code select_last_index=1} (opset 12). A NaN counts as larger than every number (the first NaN
 * wins), as numpy's {@code argmax} does.
 */
final class SequenceOps {

  private SequenceOps() {}

  static List<Value> range(Node node, List<Value> in) {
    Value start = node.required(in, 0, "start");
    Value limit = node.required(in, 1, "limit");
    Value delta = node.required(in, 2, "delta");
    for (Value v : new Value[] {start, limit, delta}) {
      if (v.size() != 1 || v.rank() > 1) {
        throw new IllegalArgumentException("start, limit and delta must be scalars, got shape " + Shapes.str(v.shapeRef()));
      }
      if (v.type() != start.type()) {
        throw new IllegalArgumentException("start, limit and delta must have one type, got " + start.type() + ", "
            + limit.type() + " and " + delta.type());
      }
    }
    if (start.type().isFloating()) {
      double s = start.getDouble(0);
      double d = delta.getDouble(0);
      if (d == 0) {
        throw new IllegalArgumentException("delta must not be 0");
      }
      int n = (int) Math.max(Math.ceil((limit.getDouble(0) - s) / d), 0);
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = start.type().round(s + i * d);
      }
      return List.of(Value.wrapDoubles(start.type(), new long[] {n}, r));
    }
    if (start.type() == DataType.BOOL) {
      throw new IllegalArgumentException("Range is not defined on BOOL");
    }
    long s = start.getLong(0);
    long d = delta.getLong(0);
    if (d == 0) {
      throw new IllegalArgumentException("delta must not be 0");
    }
    long span = limit.getLong(0) - s;
    long n = Math.max(0, span / d + ((span % d != 0 && (span > 0) == (d > 0)) ? 1 : 0));
    long[] r = new long[Math.toIntExact(n)];
    for (int i = 0; i < r.length; i++) {
      r[i] = s + i * d;
    }
    return List.of(Value.wrapLongs(start.type(), new long[] {r.length}, r));
  }

  static List<Value> argMax(Node node, List<Value> in) {
    return argExtreme(node, in, 1);
  }

  static List<Value> argMin(Node node, List<Value> in) {
    return argExtreme(node, in, -1);
  }

  /** {@code ArgMax} (sign 1) or {@code ArgMin} (sign -1). */
  private static List<Value> argExtreme(Node node, List<Value> in, int sign) {
    Value x = node.required(in, 0, "data");
    if (x.type() == DataType.BOOL) {
      throw new IllegalArgumentException(node.opType() + " is not defined on BOOL");
    }
    int rank = x.rank();
    int axis = Shapes.axis(node.getInt("axis", 0), Math.max(rank, 1), "axis");
    boolean keepDims = node.getInt("keepdims", 1) != 0;
    boolean last = node.opset() >= 12 && node.getInt("select_last_index", 0) != 0;
    long[] shape = x.shapeRef();
    int outer = Shapes.product(shape, 0, axis);
    int len = rank == 0 ? 1 : (int) shape[axis];
    int inner = Shapes.product(shape, axis + 1, rank);
    if (len == 0) {
      throw new IllegalArgumentException(node.opType() + " over an empty axis " + axis + " of shape " + Shapes.str(shape));
    }
    long[] r = new long[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        int best = 0;
        for (int k = 1; k < len; k++) {
          int c = sign * compare(x, base + k * inner, base + best * inner);
          if (c > 0 || (c == 0 && last)) {
            best = k;
          }
        }
        r[o * inner + i] = best;
      }
    }
    long[] out;
    if (keepDims) {
      out = x.shape();
      if (rank > 0) {
        out[axis] = 1;
      }
    } else {
      out = new long[Math.max(rank - 1, 0)];
      for (int d = 0, j = 0; d < rank; d++) {
        if (d != axis) {
          out[j++] = shape[d];
        }
      }
    }
    return List.of(Value.wrapLongs(DataType.INT64, out, r));
  }

  /** Compares two elements; NaN above every number and equal to NaN. */
  private static int compare(Value x, int a, int b) {
    if (x.type().isFloating()) {
      double p = x.getDouble(a);
      double q = x.getDouble(b);
      if (Double.isNaN(p) || Double.isNaN(q)) {
        return Double.isNaN(p) ? (Double.isNaN(q) ? 0 : 1) : -1;
      }
      return Double.compare(p == 0 ? 0.0 : p, q == 0 ? 0.0 : q);
    }
    return x.type() == DataType.UINT64 ? Long.compareUnsigned(x.getLong(a), x.getLong(b))
        : Long.compare(x.getLong(a), x.getLong(b));
  }
}

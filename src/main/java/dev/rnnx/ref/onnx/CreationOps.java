package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * Operators that build tensors from sizes or indices: {@code OneHot}, {@code EyeLike},
 * {@code CumSum}, and the window functions {@code HannWindow}, {@code HammingWindow},
 * {@code BlackmanWindow} (periodic by default, symmetric with {@code periodic = 0}).
 */
final class CreationOps {

  private CreationOps() {}

  /** {@code OneHot(indices, depth, values)}: values[1] where the index hits, values[0] elsewhere; a new axis. */
  static List<Value> oneHot(Node node, List<Value> in) {
    Value idx = node.required(in, 0, "indices");
    long depth = (long) node.required(in, 1, "depth").getDouble(0);
    Value values = node.required(in, 2, "values");
    int r = idx.rank() + 1;
    int axis = Shapes.axis(node.getInt("axis", -1), r, "axis");
    long[] shape = new long[r];
    for (int d = 0, j = 0; d < r; d++) {
      shape[d] = d == axis ? depth : idx.dim(j++);
    }
    int outer = Shapes.product(shape, 0, axis);
    int inner = Shapes.product(shape, axis + 1, r);
    int[] src = new int[Shapes.size(shape)];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        long t = (long) idx.getDouble(o * inner + i);
        if (t < 0) {
          t += depth;
        }
        for (int k = 0; k < depth; k++) {
          src[(o * (int) depth + k) * inner + i] = k == t ? 1 : 0;
        }
      }
    }
    return List.of(IndexingOps.take(values, shape, src));
  }

  /** {@code EyeLike}: ones on diagonal {@code k} of a 2-D tensor of the input's shape. */
  static List<Value> eyeLike(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    if (x.rank() != 2) {
      throw new IllegalArgumentException("input must be 2-D, got " + Shapes.str(x.shapeRef()));
    }
    DataType type = node.has("dtype") ? DataType.fromOnnx((int) node.getInt("dtype")) : x.type();
    long k = node.getInt("k", 0);
    long rows = x.dim(0);
    long cols = x.dim(1);
    double[] d = new double[x.size()];
    for (long i = 0; i < rows; i++) {
      long j = i + k;
      if (j >= 0 && j < cols) {
        d[(int) (i * cols + j)] = 1;
      }
    }
    return List.of(Value.ofNumbers(type, x.shape(), d));
  }

  /** {@code CumSum(x, axis)} with {@code exclusive} and {@code reverse}. */
  static List<Value> cumSum(Node node, List<Value> in) {
    Value x = node.required(in, 0, "x");
    int axis = Shapes.axis(node.required(in, 1, "axis").getLong(0), x.rank(), "axis");
    boolean exclusive = node.getInt("exclusive", 0) != 0;
    boolean reverse = node.getInt("reverse", 0) != 0;
    int outer = Shapes.product(x.shapeRef(), 0, axis);
    int len = (int) x.dim(axis);
    int inner = Shapes.product(x.shapeRef(), axis + 1, x.rank());
    boolean fl = x.type().isFloating();
    double[] rd = new double[x.size()];
    long[] rl = new long[x.size()];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double sd = 0;
        long sl = 0;
        for (int s = 0; s < len; s++) {
          int k = reverse ? len - 1 - s : s;
          int off = (o * len + k) * inner + i;
          if (exclusive) {
            rd[off] = sd;
            rl[off] = sl;
          }
          sd += fl ? x.getDouble(off) : 0;
          sl += fl ? 0 : x.getLong(off);
          if (!exclusive) {
            rd[off] = sd;
            rl[off] = sl;
          }
        }
      }
    }
    return List.of(fl ? Value.wrapDoubles(x.type(), x.shape(), rd) : Value.wrapLongs(x.type(), x.shape(), rl));
  }

  /** A window function of the given cosine coefficients a0 - a1 cos(2 pi n / N) + a2 cos(4 pi n / N). */
  static OpKernel window(double a0, double a1, double a2) {
    return (node, in) -> {
      long size = node.required(in, 0, "size").getLong(0);
      boolean periodic = node.getInt("periodic", 1) != 0;
      DataType type = DataType.fromOnnx((int) node.getInt("output_datatype", DataType.FLOAT.onnxCode()));
      double denom = periodic ? size : size - 1;
      double[] d = new double[(int) size];
      for (int n = 0; n < size; n++) {
        d[n] = a0 - a1 * Math.cos(2 * Math.PI * n / denom) + a2 * Math.cos(4 * Math.PI * n / denom);
      }
      return List.of(Value.ofNumbers(type, new long[] {size}, d));
    };
  }
}

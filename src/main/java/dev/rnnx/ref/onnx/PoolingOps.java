package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pooling over the spatial dimensions of {@code (N, C, D1, ..., Dk)} tensors: {@code MaxPool} (with
 * its {@code Indices} output, {@code storage_order} and dilations), {@code AveragePool}
 * ({@code count_include_pad}), {@code LpPool}, their {@code Global} forms, and {@code MaxUnpool}.
 * Window geometry (pads, {@code auto_pad}, {@code ceil_mode}) is {@link Windows}'.
 */
final class PoolingOps {

  private PoolingOps() {}

  private static Windows windows(Node node, Value x) {
    if (x.rank() < 3) {
      throw new IllegalArgumentException("X must be (N, C, D1, ...), got " + Shapes.str(x.shapeRef()));
    }
    long[] k = node.getInts("kernel_shape");
    if (k == null) {
      throw new IllegalArgumentException("required attribute 'kernel_shape' is missing");
    }
    return Windows.of(node, Arrays.copyOfRange(x.shapeRef(), 2, x.rank()), k, node.getInt("ceil_mode", 0) != 0);
  }

  private static long[] shape(Value x, long[] out) {
    long[] s = new long[out.length + 2];
    s[0] = x.dim(0);
    s[1] = x.dim(1);
    System.arraycopy(out, 0, s, 2, out.length);
    return s;
  }

  /** {@code MaxPool}; output 1 holds each maximum's flat index in X (row-major, or column-major spatially). */
  static List<Value> maxPool(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Windows w = windows(node, x);
    int[] table = w.offsets();
    int planes = (int) (x.dim(0) * x.dim(1));
    int no = w.outSize();
    int nk = w.kernelSize();
    int ni = w.inSize();
    boolean colMajor = node.getInt("storage_order", 0) != 0;
    double[] y = new double[planes * no];
    long[] idx = new long[planes * no];
    boolean floating = x.type().isFloating();
    int[] pos = new int[w.rank()];
    for (int p = 0; p < planes; p++) {
      for (int a = 0; a < no; a++) {
        double best = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int k = 0; k < nk; k++) {
          int off = table[a * nk + k];
          if (off >= 0) {
            double v = x.getDouble(p * ni + off);
            if (arg < 0 || v > best) {
              best = v;
              arg = off;
            }
          }
        }
        y[p * no + a] = best;
        int flat = arg;
        if (colMajor && arg >= 0) {
          Windows.unravel(arg, w.in, pos);
          flat = 0;
          int stride = 1;
          for (int d = 0; d < pos.length; d++) {
            flat += pos[d] * stride;
            stride *= (int) w.in[d];
          }
        }
        idx[p * no + a] = (long) p * ni + flat;
      }
    }
    long[] s = shape(x, w.out);
    List<Value> out = new ArrayList<>();
    out.add(floating ? Value.wrapDoubles(x.type(), s, y) : Value.ofNumbers(x.type(), s, y));
    out.add(Value.wrapLongs(DataType.INT64, s.clone(), idx));
    return out;
  }

  /**
   * {@code AveragePool}: the mean over the window's elements inside X, or with
   * {@code count_include_pad = 1} over those inside the padded input.
   */
  static List<Value> averagePool(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Windows w = windows(node, x);
    boolean includePad = node.getInt("count_include_pad", 0) != 0;
    return List.of(pool(x, w, (vals, count, padded) -> {
      double s = 0;
      for (int i = 0; i < count; i++) {
        s += vals[i];
      }
      return s / (includePad ? padded : count);
    }));
  }

  /** {@code LpPool}: the p-norm of each window ({@code p} defaults to 2). */
  static List<Value> lpPool(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Windows w = windows(node, x);
    double p = node.getInt("p", 2);
    return List.of(pool(x, w, (vals, count, padded) -> lpNorm(vals, count, p)));
  }

  private static double lpNorm(double[] vals, int count, double p) {
    double s = 0;
    for (int i = 0; i < count; i++) {
      s += Math.pow(Math.abs(vals[i]), p);
    }
    return Math.pow(s, 1 / p);
  }

  private interface Reducer {
    double apply(double[] vals, int count, int padded);
  }

  private static Value pool(Value x, Windows w, Reducer f) {
    int[] table = w.offsets();
    int planes = (int) (x.dim(0) * x.dim(1));
    int no = w.outSize();
    int nk = w.kernelSize();
    int ni = w.inSize();
    int[] padded = new int[no];
    for (int a = 0; a < no; a++) {
      for (int k = 0; k < nk; k++) {
        padded[a] += w.insidePadded(a, k) ? 1 : 0;
      }
    }
    double[] xd = x.doublesRef();
    double[] y = new double[planes * no];
    double[] vals = new double[nk];
    for (int p = 0; p < planes; p++) {
      for (int a = 0; a < no; a++) {
        int count = 0;
        for (int k = 0; k < nk; k++) {
          int off = table[a * nk + k];
          if (off >= 0) {
            vals[count++] = xd[p * ni + off];
          }
        }
        y[p * no + a] = f.apply(vals, count, padded[a]);
      }
    }
    return Value.wrapDoubles(x.type(), shape(x, w.out), y);
  }

  /** {@code GlobalAveragePool}, {@code GlobalMaxPool}, {@code GlobalLpPool}: one window over all spatial dimensions. */
  static OpKernel global(String kind) {
    return (node, in) -> {
      Value x = node.required(in, 0, "X");
      if (x.rank() < 3) {
        throw new IllegalArgumentException("X must be (N, C, D1, ...), got " + Shapes.str(x.shapeRef()));
      }
      int planes = (int) (x.dim(0) * x.dim(1));
      int ni = Shapes.product(x.shapeRef(), 2, x.rank());
      double p = node.getInt("p", 2);
      double[] xd = x.doublesRef();
      double[] y = new double[planes];
      for (int q = 0; q < planes; q++) {
        double[] vals = Arrays.copyOfRange(xd, q * ni, (q + 1) * ni);
        switch (kind) {
          case "max":
            y[q] = Arrays.stream(vals).max().orElse(Double.NaN);
            break;
          case "lp":
            y[q] = lpNorm(vals, ni, p);
            break;
          default:
            y[q] = Arrays.stream(vals).sum() / ni;
        }
      }
      long[] s = new long[x.rank()];
      Arrays.fill(s, 1);
      s[0] = x.dim(0);
      s[1] = x.dim(1);
      return List.of(Value.wrapDoubles(x.type(), s, y));
    };
  }

  /**
   * {@code MaxUnpool}: each value of X written at its index (from MaxPool) into a zero tensor of
   * the default unpooled shape or of {@code output_shape}.
   */
  static List<Value> maxUnpool(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value indices = node.required(in, 1, "I");
    Value outShape = Node.input(in, 2);
    int r = x.rank() - 2;
    long[] k = node.getInts("kernel_shape");
    if (k == null || k.length != r) {
      throw new IllegalArgumentException("kernel_shape must hold " + r + " values");
    }
    long[] s = Windows.orOnes(node.getInts("strides"), r, "strides");
    long[] pads = node.getInts("pads");
    long[] dflt = x.shape();
    for (int i = 0; i < r; i++) {
      dflt[i + 2] = (x.dim(i + 2) - 1) * s[i] + k[i] - (pads == null ? 0 : pads[i] + pads[i + r]);
    }
    long[] shape = outShape == null ? dflt : outShape.toLongArray();
    if (shape.length != x.rank()) {
      throw new IllegalArgumentException("output_shape must have rank " + x.rank() + ", got " + Shapes.str(shape));
    }
    double[] y = new double[Shapes.size(shape)];
    int[] pos = new int[x.rank()];
    int[] outStr = Shapes.strides(shape);
    for (int i = 0; i < x.size(); i++) {
      long t = indices.getLong(i);
      if (t < 0 || t >= Shapes.size(dflt)) {
        throw new IllegalArgumentException("index " + t + " is outside the unpooled shape " + Shapes.str(dflt));
      }
      // indices address the default unpooled shape; place each value at the same coordinates
      Windows.unravel((int) t, dflt, pos);
      int off = 0;
      for (int d = 0; d < pos.length; d++) {
        if (pos[d] >= shape[d]) {
          throw new IllegalArgumentException("index " + t + " falls outside output_shape " + Shapes.str(shape));
        }
        off += pos[d] * outStr[d];
      }
      y[off] = x.getDouble(i);
    }
    return List.of(Value.wrapDoubles(x.type(), shape, y));
  }
}

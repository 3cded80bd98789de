package dev.rnnx.ref.onnx;

import dev.rnnx.ref.RefKernels;
import java.util.Arrays;
import java.util.List;

/**
 * Convolutions over {@code (N, C, D1, ..., Dk)} tensors, any k: {@code Conv} (groups, dilations,
 * strides, pads or {@code auto_pad}, optional bias), {@code ConvTranspose} (also
 * {@code output_padding} and {@code output_shape}) and {@code ConvInteger} (zero points subtracted,
 * int32 result). Computed in double precision (exact in 64-bit integers for ConvInteger).
 */
final class ConvOps {

  private ConvOps() {}

  static List<Value> conv(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value w = node.required(in, 1, "W");
    Value b = Node.input(in, 2);
    double[] y = convolve(node, x, x.toDoubleArray(), w, w.toDoubleArray(), b == null ? null : b.doublesRef());
    return List.of(Value.wrapDoubles(x.type(), outShape(node, x, w), y));
  }

  /** {@code ConvInteger}: {@code (x - x_zero_point) * (w - w_zero_point)} accumulated in int32. */
  static List<Value> convInteger(Node node, List<Value> in) {
    Value x = node.required(in, 0, "x");
    Value w = node.required(in, 1, "w");
    Value xz = Node.input(in, 2);
    Value wz = Node.input(in, 3);
    double[] xd = x.toDoubleArray();
    double[] wd = w.toDoubleArray();
    if (xz != null) {
      for (int i = 0; i < xd.length; i++) {
        xd[i] -= xz.getDouble(0);
      }
    }
    if (wz != null) {
      int per = wd.length / (int) w.dim(0);
      for (int i = 0; i < wd.length; i++) {
        wd[i] -= wz.getDouble(wz.size() == 1 ? 0 : i / per);
      }
    }
    double[] y = convolve(node, x, xd, w, wd, null);
    long[] l = new long[y.length];
    for (int i = 0; i < l.length; i++) {
      l[i] = Math.round(y[i]);
    }
    return List.of(Value.wrapLongs(DataType.INT32, outShape(node, x, w), l));
  }

  private static long[] kernelShape(Node node, Value w) {
    long[] ks = node.getInts("kernel_shape");
    return ks != null ? ks : Arrays.copyOfRange(w.shapeRef(), 2, w.rank());
  }

  private static long[] outShape(Node node, Value x, Value w) {
    Windows win = Windows.of(node, Arrays.copyOfRange(x.shapeRef(), 2, x.rank()), kernelShape(node, w), false);
    long[] s = new long[x.rank()];
    s[0] = x.dim(0);
    s[1] = w.dim(0);
    System.arraycopy(win.out, 0, s, 2, win.rank());
    return s;
  }

  private static double[] convolve(Node node, Value x, double[] xd, Value w, double[] wd, double[] bias) {
    if (x.rank() < 3 || w.rank() != x.rank()) {
      throw new IllegalArgumentException("X must be (N, C, D1, ...) and W (M, C/group, k1, ...) of the same rank, got "
          + Shapes.str(x.shapeRef()) + " and " + Shapes.str(w.shapeRef()));
    }
    int group = (int) node.getInt("group", 1);
    int n = (int) x.dim(0);
    int c = (int) x.dim(1);
    int m = (int) w.dim(0);
    int cg = (int) w.dim(1);
    if (group <= 0 || c != cg * group || m % group != 0) {
      throw new IllegalArgumentException("X has " + c + " channels, W " + Shapes.str(w.shapeRef()) + ", group "
          + group + ": channels must equal W's dimension 1 times group, and M divisible by group");
    }
    Windows win = Windows.of(node, Arrays.copyOfRange(x.shapeRef(), 2, x.rank()), kernelShape(node, w), false);
    if (!Arrays.equals(win.kernel, Arrays.copyOfRange(w.shapeRef(), 2, w.rank()))) {
      throw new IllegalArgumentException("kernel_shape " + Shapes.str(win.kernel) + " contradicts W "
          + Shapes.str(w.shapeRef()));
    }
    int[] table = win.offsets();
    int no = win.outSize();
    int nk = win.kernelSize();
    int ni = win.inSize();
    int mg = m / group;
    double[] y = new double[n * m * no];
    if (RefKernels.naive() || !allFinite(wd)) { // padding adds 0 · w below, which an infinite w would turn into NaN
      convolveNaive(xd, wd, bias, y, table, n, c, m, cg, mg, no, nk, ni);
      return y;
    }
    // im2col: per image and group, the windows as rows [no, cg * nk] (zero where a window reads
    // padding), times W's group block as [cg * nk, mg]: the sum runs over ic, then k, as the loops do
    int inner = cg * nk;
    double[] cols = new double[Math.multiplyExact(no, inner)];
    double[] z = new double[no * mg];
    for (int g = 0; g < group; g++) {
      double[] wt = new double[inner * mg];
      for (int o = 0; o < mg; o++) {
        for (int i = 0; i < inner; i++) {
          wt[i * mg + o] = wd[(g * mg + o) * inner + i];
        }
      }
      double[][] wRows = RefKernels.rowsOf(wt, inner, mg);
      for (int b = 0; b < n; b++) {
        for (int a = 0; a < no; a++) {
          int t = a * nk;
          for (int ic = 0; ic < cg; ic++) {
            int xBase = (b * c + g * cg + ic) * ni;
            int r = a * inner + ic * nk;
            for (int k = 0; k < nk; k++) {
              int off = table[t + k];
              cols[r + k] = off >= 0 ? xd[xBase + off] : 0;
            }
          }
        }
        for (int a = 0; a < no; a++) {
          for (int o = 0; o < mg; o++) {
            z[a * mg + o] = bias == null ? 0 : bias[g * mg + o];
          }
        }
        RefKernels.multiplyAdd(cols, no, inner, wRows, mg, z);
        for (int o = 0; o < mg; o++) {
          int yBase = (b * m + g * mg + o) * no;
          for (int a = 0; a < no; a++) {
            y[yBase + a] = z[a * mg + o];
          }
        }
      }
    }
    return y;
  }

  private static boolean allFinite(double[] v) {
    for (double d : v) {
      if (!Double.isFinite(d)) {
        return false;
      }
    }
    return true;
  }

  /** The plain loops ({@code -Drnnx.ref.kernels=naive}): the comparison for the blocked path. */
  private static void convolveNaive(double[] xd, double[] wd, double[] bias, double[] y, int[] table, int n, int c,
      int m, int cg, int mg, int no, int nk, int ni) {
    for (int b = 0; b < n; b++) {
      for (int oc = 0; oc < m; oc++) {
        int g = oc / mg;
        int yBase = (b * m + oc) * no;
        double bv = bias == null ? 0 : bias[oc];
        for (int a = 0; a < no; a++) {
          double s = bv;
          int t = a * nk;
          for (int ic = 0; ic < cg; ic++) {
            int xBase = (b * c + g * cg + ic) * ni;
            int wBase = (oc * cg + ic) * nk;
            for (int k = 0; k < nk; k++) {
              int off = table[t + k];
              if (off >= 0) {
                s += xd[xBase + off] * wd[wBase + k];
              }
            }
          }
          y[yBase + a] = s;
        }
      }
    }
  }

  /**
   * {@code ConvTranspose}: each input element scatters its kernel-weighted contribution. With
   * {@code output_shape} (or {@code auto_pad} SAME_*, which asks for {@code in * stride}) the pads
   * are derived: the odd one at the end for SAME_UPPER, at the start otherwise.
   */
  static List<Value> convTranspose(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value w = node.required(in, 1, "W");
    Value bias = Node.input(in, 2);
    int r = x.rank() - 2;
    if (r < 1 || w.rank() != x.rank()) {
      throw new IllegalArgumentException("X must be (N, C, D1, ...) and W (C, M/group, k1, ...) of the same rank, got "
          + Shapes.str(x.shapeRef()) + " and " + Shapes.str(w.shapeRef()));
    }
    int group = (int) node.getInt("group", 1);
    int n = (int) x.dim(0);
    int c = (int) x.dim(1);
    int mg = (int) w.dim(1);
    int m = mg * group;
    if (w.dim(0) != c || c % group != 0) {
      throw new IllegalArgumentException("W " + Shapes.str(w.shapeRef()) + " must have dimension 0 = " + c
          + " (X's channels), divisible by group " + group);
    }
    long[] inDims = Arrays.copyOfRange(x.shapeRef(), 2, x.rank());
    long[] k = kernelShape(node, w);
    long[] s = Windows.orOnes(node.getInts("strides"), r, "strides");
    long[] d = Windows.orOnes(node.getInts("dilations"), r, "dilations");
    long[] op = node.getInts("output_padding");
    op = op == null ? new long[r] : op;
    long[] outShape = node.getInts("output_shape");
    String autoPad = node.getString("auto_pad", "NOTSET");
    if (outShape == null && (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER"))) {
      outShape = new long[r];
      for (int i = 0; i < r; i++) {
        outShape[i] = inDims[i] * s[i];
      }
    }
    if (outShape != null && outShape.length == r + 2) {
      outShape = Arrays.copyOfRange(outShape, 2, r + 2);
    }
    long[] pb = new long[r];
    long[] out = new long[r];
    long[] pads = node.getInts("pads");
    if ((pads != null && pads.length != 2 * r) || op.length != r || (outShape != null && outShape.length != r)
        || k.length != r) {
      throw new IllegalArgumentException("pads must hold " + 2 * r + " values, and kernel_shape, output_padding and "
          + "output_shape " + r + ", for X " + Shapes.str(x.shapeRef()));
    }
    for (int i = 0; i < r; i++) {
      long full = s[i] * (inDims[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1;
      if (outShape != null) {
        long total = full - outShape[i];
        pb[i] = autoPad.equals("SAME_UPPER") ? Math.floorDiv(total, 2) : total - Math.floorDiv(total, 2);
        out[i] = outShape[i];
      } else {
        long p0 = pads == null ? 0 : pads[i];
        long p1 = pads == null ? 0 : pads[i + r];
        pb[i] = p0;
        out[i] = full - p0 - p1;
      }
    }
    int ni = Shapes.size(inDims);
    int no = Shapes.size(out);
    int nk = Shapes.size(k);
    int[] outStr = Shapes.strides(out);
    double[] xd = x.doublesRef();
    double[] wd = w.doublesRef();
    double[] y = new double[n * m * no];
    int cg = c / group;
    int[] ii = new int[r];
    int[] kk = new int[r];
    // target offset (or -1) for each input position and kernel position
    int[] target = new int[ni * nk];
    for (int a = 0; a < ni; a++) {
      Windows.unravel(a, inDims, ii);
      for (int b = 0; b < nk; b++) {
        Windows.unravel(b, k, kk);
        int off = 0;
        for (int q = 0; q < r; q++) {
          long p = ii[q] * s[q] + kk[q] * d[q] - pb[q];
          if (p < 0 || p >= out[q]) {
            off = -1;
            break;
          }
          off += (int) p * outStr[q];
        }
        target[a * nk + b] = off;
      }
    }
    for (int b = 0; b < n; b++) {
      for (int ic = 0; ic < c; ic++) {
        int g = ic / cg;
        int xBase = (b * c + ic) * ni;
        for (int oc = 0; oc < mg; oc++) {
          int yBase = (b * m + g * mg + oc) * no;
          int wBase = (ic * mg + oc) * nk;
          for (int a = 0; a < ni; a++) {
            double xv = xd[xBase + a];
            for (int q = 0; q < nk; q++) {
              int off = target[a * nk + q];
              if (off >= 0) {
                y[yBase + off] += xv * wd[wBase + q];
              }
            }
          }
        }
      }
    }
    if (bias != null) {
      for (int b = 0; b < n; b++) {
        for (int oc = 0; oc < m; oc++) {
          for (int a = 0; a < no; a++) {
            y[(b * m + oc) * no + a] += bias.getDouble(oc);
          }
        }
      }
    }
    long[] shape = new long[r + 2];
    shape[0] = n;
    shape[1] = m;
    System.arraycopy(out, 0, shape, 2, r);
    return List.of(Value.wrapDoubles(x.type(), shape, y));
  }
}

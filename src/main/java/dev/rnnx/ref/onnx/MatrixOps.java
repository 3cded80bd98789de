package dev.rnnx.ref.onnx;

import dev.rnnx.ref.RefKernels;
import java.util.Arrays;
import java.util.List;

/**
 * Matrix products: {@code MatMul} (numpy {@code matmul} semantics: 1-D operands promoted and the
 * added dimension removed, batch dimensions broadcast) and {@code Gemm}
 * ({@code alpha * A' * B' + beta * C}, {@code C} broadcast to {@code [M, N]}). Floating inputs are
 * computed in double precision, integer inputs in 64-bit integers. The floating products run on
 * {@link RefKernels#multiplyAdd} (blocked, vectorised, both cores), the same bits as the triple
 * loops that {@code rnnx.ref.kernels=naive} keeps.
 */
final class MatrixOps {

  private MatrixOps() {}

  static List<Value> matMul(Node node, List<Value> in) {
    Value a = node.required(in, 0, "A");
    Value b = node.required(in, 1, "B");
    if (a.type() != b.type()) {
      throw new IllegalArgumentException("A and B must have the same type, got " + a.type() + " and " + b.type());
    }
    if (a.rank() == 0 || b.rank() == 0) {
      throw new IllegalArgumentException("MatMul operands must have rank >= 1, got " + Shapes.str(a.shapeRef())
          + " and " + Shapes.str(b.shapeRef()));
    }
    long[] sa = a.rank() == 1 ? new long[] {1, a.dim(0)} : a.shapeRef();
    long[] sb = b.rank() == 1 ? new long[] {b.dim(0), 1} : b.shapeRef();
    int m = (int) sa[sa.length - 2];
    int k = (int) sa[sa.length - 1];
    int n = (int) sb[sb.length - 1];
    if (sb[sb.length - 2] != k) {
      throw new IllegalArgumentException("MatMul inner dimensions differ: " + Shapes.str(a.shapeRef()) + " x "
          + Shapes.str(b.shapeRef()));
    }
    long[] batchA = Arrays.copyOf(sa, sa.length - 2);
    long[] batchB = Arrays.copyOf(sb, sb.length - 2);
    long[] batch = Shapes.broadcast(batchA, batchB);
    int[] ia = Shapes.broadcastIndex(batchA, batch);
    int[] ib = Shapes.broadcastIndex(batchB, batch);
    int batches = ia.length;
    // output shape: batch + [m] (unless A was 1-D) + [n] (unless B was 1-D)
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = m;
    out[batch.length + 1] = n;
    long[] outShape = out;
    if (a.rank() == 1 && b.rank() == 1) {
      outShape = batch;
    } else if (a.rank() == 1) {
      outShape = Arrays.copyOf(batch, batch.length + 1);
      outShape[batch.length] = n;
    } else if (b.rank() == 1) {
      outShape = Arrays.copyOf(batch, batch.length + 1);
      outShape[batch.length] = m;
    }
    int mk = m * k;
    int kn = k * n;
    int mn = m * n;
    if (a.type().isFloating()) {
      double[] x = a.doublesRef();
      double[] y = b.doublesRef();
      double[] r = new double[batches * mn];
      if (RefKernels.naive()) {
        for (int t = 0; t < batches; t++) {
          naiveProduct(x, ia[t] * mk, y, ib[t] * kn, r, t * mn, m, k, n);
        }
        return List.of(Value.wrapDoubles(a.type(), outShape, r));
      }
      // B's batch entries as row arrays, once each; A's batch entries that share one B run as one product
      double[][][] rowsB = new double[(int) Shapes.size(batchB)][][];
      for (int t = 0; t < batches; t++) {
        if (rowsB[ib[t]] == null) {
          rowsB[ib[t]] = RefKernels.rowsOf(Arrays.copyOfRange(y, ib[t] * kn, (ib[t] + 1) * kn), k, n);
        }
        double[] part = new double[mn];
        RefKernels.multiplyAdd(Arrays.copyOfRange(x, ia[t] * mk, (ia[t] + 1) * mk), m, k, rowsB[ib[t]], n, part);
        System.arraycopy(part, 0, r, t * mn, mn);
      }
      return List.of(Value.wrapDoubles(a.type(), outShape, r));
    }
    long[] x = a.longsRef();
    long[] y = b.longsRef();
    long[] r = new long[batches * mn];
    for (int t = 0; t < batches; t++) {
      int xo = ia[t] * mk;
      int yo = ib[t] * kn;
      int ro = t * mn;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          long s = 0;
          for (int p = 0; p < k; p++) {
            s += x[xo + i * k + p] * y[yo + p * n + j];
          }
          r[ro + i * n + j] = s;
        }
      }
    }
    return List.of(Value.wrapLongs(a.type(), outShape, r));
  }

  /** The original triple loop ({@code rnnx.ref.kernels=naive}): {@code r = x · y} from zero, {@code p} ascending. */
  private static void naiveProduct(double[] x, int xo, double[] y, int yo, double[] r, int ro, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += x[xo + i * k + p] * y[yo + p * n + j];
        }
        r[ro + i * n + j] = s;
      }
    }
  }

  /**
   * {@code Gemm}. The legacy {@code broadcast} attribute of opsets below 7 is ignored (C is always
   * broadcast). Integer inputs are computed in double and converted back.
   */
  static List<Value> gemm(Node node, List<Value> in) {
    Value a = node.required(in, 0, "A");
    Value b = node.required(in, 1, "B");
    Value c = Node.input(in, 2);
    double alpha = node.getFloat("alpha", 1.0);
    double beta = node.getFloat("beta", 1.0);
    boolean transA = node.getInt("transA", 0) != 0;
    boolean transB = node.getInt("transB", 0) != 0;
    if (a.rank() != 2 || b.rank() != 2) {
      throw new IllegalArgumentException("Gemm needs 2-D A and B, got " + Shapes.str(a.shapeRef()) + " and "
          + Shapes.str(b.shapeRef()));
    }
    if (a.type() != b.type() || (c != null && c.type() != a.type())) {
      throw new IllegalArgumentException("A, B and C must have the same type");
    }
    int m = (int) (transA ? a.dim(1) : a.dim(0));
    int k = (int) (transA ? a.dim(0) : a.dim(1));
    int kb = (int) (transB ? b.dim(1) : b.dim(0));
    int n = (int) (transB ? b.dim(0) : b.dim(1));
    if (k != kb) {
      throw new IllegalArgumentException("Gemm inner dimensions differ: A' is [" + m + ", " + k + "], B' is [" + kb
          + ", " + n + "]");
    }
    long[] out = {m, n};
    int[] ic = null;
    if (c != null) {
      if (!Arrays.equals(Shapes.broadcast(c.shapeRef(), out), out)) {
        throw new IllegalArgumentException("C of shape " + Shapes.str(c.shapeRef()) + " cannot be broadcast to ["
            + m + ", " + n + "]");
      }
      ic = Shapes.broadcastIndex(c.shapeRef(), out);
    }
    double[] r = new double[m * n];
    boolean naive = RefKernels.naive();
    if (!naive) {
      double[] ap = new double[m * k];
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < k; p++) {
          ap[i * k + p] = a.getDouble(transA ? p * m + i : i * k + p);
        }
      }
      double[][] bp = new double[k][n];
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < n; j++) {
          bp[p][j] = b.getDouble(transB ? j * k + p : p * n + j);
        }
      }
      RefKernels.multiplyAdd(ap, m, k, bp, n, r);
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = r[i * n + j];
        if (naive) {
          for (int p = 0; p < k; p++) {
            double x = a.getDouble(transA ? p * m + i : i * k + p);
            double y = b.getDouble(transB ? j * k + p : p * n + j);
            s += x * y;
          }
        }
        s *= alpha;
        if (c != null) {
          s += beta * c.getDouble(ic[i * n + j]);
        }
        r[i * n + j] = s;
      }
    }
    return List.of(Value.ofNumbers(a.type(), out, r));
  }
}

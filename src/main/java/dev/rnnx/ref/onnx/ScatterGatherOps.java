package dev.rnnx.ref.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * Element-indexed reads and writes: {@code GatherElements}, {@code ScatterElements} (and its
 * deprecated name {@code Scatter}), {@code GatherND} ({@code batch_dims}) and {@code ScatterND},
 * the scatters with {@code reduction} {@code none}, {@code add}, {@code mul}, {@code max},
 * {@code min}. Negative indices count from the end of their axis; an index out of range is refused.
 */
final class ScatterGatherOps {

  private ScatterGatherOps() {}

  private static int index(long i, long dim, String what) {
    if (i < -dim || i >= dim) {
      throw new IllegalArgumentException(what + " index " + i + " is out of range for a dimension of " + dim);
    }
    return (int) (i < 0 ? i + dim : i);
  }

  /** {@code GatherElements}: {@code out[i][j][k] = data[index[i][j][k]][j][k]} for axis 0, and so on. */
  static List<Value> gatherElements(Node node, List<Value> in) {
    Value data = node.required(in, 0, "data");
    Value idx = node.required(in, 1, "indices");
    int rank = data.rank();
    if (idx.rank() != rank) {
      throw new IllegalArgumentException("indices must have the rank of data (" + rank + "), got "
          + Shapes.str(idx.shapeRef()));
    }
    int axis = Shapes.axis(node.getInt("axis", 0), rank, "axis");
    int[] ds = Shapes.strides(data.shapeRef());
    int[] pos = new int[rank];
    int[] src = new int[idx.size()];
    for (int k = 0; k < src.length; k++) {
      Windows.unravel(k, idx.shapeRef(), pos);
      pos[axis] = index(idx.getLong(k), data.dim(axis), "GatherElements");
      int off = 0;
      for (int d = 0; d < rank; d++) {
        off += pos[d] * ds[d];
      }
      src[k] = off;
    }
    return List.of(IndexingOps.take(data, idx.shape(), src));
  }

  /** {@code ScatterElements} and {@code Scatter}: a copy of data with updates written at the indexed elements. */
  static List<Value> scatterElements(Node node, List<Value> in) {
    Value data = node.required(in, 0, "data");
    Value idx = node.required(in, 1, "indices");
    Value upd = node.required(in, 2, "updates");
    int rank = data.rank();
    if (idx.rank() != rank || !Arrays.equals(idx.shapeRef(), upd.shapeRef())) {
      throw new IllegalArgumentException("indices and updates must have one shape of data's rank " + rank + ", got "
          + Shapes.str(idx.shapeRef()) + " and " + Shapes.str(upd.shapeRef()));
    }
    int axis = Shapes.axis(node.getInt("axis", 0), rank, "axis");
    int[] ds = Shapes.strides(data.shapeRef());
    int[] pos = new int[rank];
    int[] dst = new int[idx.size()];
    for (int k = 0; k < dst.length; k++) {
      Windows.unravel(k, idx.shapeRef(), pos);
      pos[axis] = index(idx.getLong(k), data.dim(axis), "ScatterElements");
      int off = 0;
      for (int d = 0; d < rank; d++) {
        off += pos[d] * ds[d];
      }
      dst[k] = off;
    }
    return List.of(scatter(node, data, upd, dst, 1));
  }

  /** Writes (or reduces) {@code per} consecutive update elements at each destination offset. */
  private static Value scatter(Node node, Value data, Value upd, int[] dst, int per) {
    String red = node.getString("reduction", "none");
    if (data.type().isFloating()) {
      double[] r = data.toDoubleArray();
      double[] u = upd.doublesRef();
      for (int k = 0; k < dst.length; k++) {
        for (int e = 0; e < per; e++) {
          int t = dst[k] + e;
          double v = u[k * per + e];
          r[t] = combine(red, r[t], v);
        }
      }
      return Value.wrapDoubles(data.type(), data.shape(), r);
    }
    long[] r = data.toLongArray();
    long[] u = upd.longsRef();
    for (int k = 0; k < dst.length; k++) {
      for (int e = 0; e < per; e++) {
        int t = dst[k] + e;
        r[t] = combineLong(red, r[t], u[k * per + e]);
      }
    }
    return Value.wrapLongs(data.type(), data.shape(), r);
  }

  private static double combine(String red, double a, double b) {
    return switch (red) {
      case "none" -> b;
      case "add" -> a + b;
      case "mul" -> a * b;
      case "max" -> Math.max(a, b);
      case "min" -> Math.min(a, b);
      default -> throw new IllegalArgumentException("reduction must be none, add, mul, max or min, got '" + red + "'");
    };
  }

  /** {@link #combine} on integers, exact in 64 bits. */
  private static long combineLong(String red, long a, long b) {
    return red.equals("add") ? a + b : red.equals("mul") ? a * b : (long) combine(red, a, b);
  }

  /**
   * {@code GatherND}: indices of shape {@code (b..., q..., m)} select slices of data whose first
   * {@code batch_dims} dimensions match b.
   */
  static List<Value> gatherND(Node node, List<Value> in) {
    Value data = node.required(in, 0, "data");
    Value idx = node.required(in, 1, "indices");
    int b = (int) node.getInt("batch_dims", 0);
    long[] ds = data.shapeRef();
    long[] is = idx.shapeRef();
    int m = (int) is[is.length - 1];
    if (b + m > ds.length || b >= is.length) {
      throw new IllegalArgumentException("indices " + Shapes.str(is) + " with batch_dims " + b
          + " do not fit data " + Shapes.str(ds));
    }
    int batch = Shapes.product(ds, 0, b);
    int slice = Shapes.product(ds, b + m, ds.length);
    int perBatchData = Shapes.product(ds, b, ds.length);
    int queries = Shapes.product(is, b, is.length - 1);
    int[] dstr = Shapes.strides(ds);
    int[] src = new int[batch * queries * slice];
    int p = 0;
    for (int bb = 0; bb < batch; bb++) {
      for (int q = 0; q < queries; q++) {
        int off = bb * perBatchData;
        for (int j = 0; j < m; j++) {
          off += index(idx.getLong((bb * queries + q) * m + j), ds[b + j], "GatherND") * dstr[b + j];
        }
        for (int e = 0; e < slice; e++) {
          src[p++] = off + e;
        }
      }
    }
    long[] out = new long[is.length - 1 + ds.length - b - m];
    System.arraycopy(is, 0, out, 0, is.length - 1);
    System.arraycopy(ds, b + m, out, is.length - 1, ds.length - b - m);
    return List.of(IndexingOps.take(data, out, src));
  }

  /** {@code ScatterND}: updates of shape {@code indices.shape[:-1] + data.shape[m:]} written at the indexed slices. */
  static List<Value> scatterND(Node node, List<Value> in) {
    Value data = node.required(in, 0, "data");
    Value idx = node.required(in, 1, "indices");
    Value upd = node.required(in, 2, "updates");
    long[] ds = data.shapeRef();
    long[] is = idx.shapeRef();
    int m = (int) is[is.length - 1];
    if (m > ds.length) {
      throw new IllegalArgumentException("indices' last dimension " + m + " exceeds data's rank " + ds.length);
    }
    int slice = Shapes.product(ds, m, ds.length);
    int queries = Shapes.product(is, 0, is.length - 1);
    if (upd.size() != queries * slice) {
      throw new IllegalArgumentException("updates must hold " + queries * slice + " elements, got "
          + Shapes.str(upd.shapeRef()));
    }
    int[] dstr = Shapes.strides(ds);
    int[] dst = new int[queries];
    for (int q = 0; q < queries; q++) {
      int off = 0;
      for (int j = 0; j < m; j++) {
        off += index(idx.getLong(q * m + j), ds[j], "ScatterND") * dstr[j];
      }
      dst[q] = off;
    }
    return List.of(scatter(node, data, upd, dst, slice));
  }
}

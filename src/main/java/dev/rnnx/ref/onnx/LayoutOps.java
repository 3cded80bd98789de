package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Operators that move elements without arithmetic: {@code Split} (attribute {@code split} before
 * opset 13, input after, {@code num_outputs} from 18), {@code Pad} (attributes before opset 11,
 * inputs after, {@code axes} from 18; modes constant, reflect, edge, wrap), {@code Tile},
 * {@code Trilu}, {@code Compress}, {@code DepthToSpace} (DCR and CRD), {@code SpaceToDepth}, and
 * {@code NonZero}.
 */
final class LayoutOps {

  private LayoutOps() {}

  /** Elements of v at row-major offsets; -1 takes {@code fill}. */
  static Value takeOrFill(Value v, long[] shape, int[] src, double fill) {
    if (v.type().isFloating()) {
      double[] d = v.doublesRef();
      double[] r = new double[src.length];
      for (int k = 0; k < r.length; k++) {
        r[k] = src[k] < 0 ? fill : d[src[k]];
      }
      return Value.wrapDoubles(v.type(), shape, r);
    }
    long[] d = v.longsRef();
    long[] r = new long[src.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = src[k] < 0 ? (long) fill : d[src[k]];
    }
    return Value.wrapLongs(v.type(), shape, r);
  }

  /** Indices {@code [start, start + len)} of {@code axis}, the axis kept. */
  static Value range(Value x, int axis, long start, long len) {
    long dim = x.dim(axis);
    int outer = Shapes.product(x.shapeRef(), 0, axis);
    int inner = Shapes.product(x.shapeRef(), axis + 1, x.rank());
    long[] shape = x.shape();
    shape[axis] = len;
    int[] src = new int[Shapes.size(shape)];
    int k = 0;
    for (int o = 0; o < outer; o++) {
      for (long a = start; a < start + len; a++) {
        for (int i = 0; i < inner; i++) {
          src[k++] = (int) ((o * dim + a) * inner + i);
        }
      }
    }
    return IndexingOps.take(x, shape, src);
  }

  /** The same elements under another shape of the same size. */
  static Value reshaped(Value x, long[] shape) {
    int[] all = new int[x.size()];
    Arrays.setAll(all, i -> i);
    return IndexingOps.take(x, shape, all);
  }

  static List<Value> split(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    int axis = Shapes.axis(node.getInt("axis", 0), x.rank(), "axis");
    long dim = x.dim(axis);
    long[] parts;
    if (node.opset() < 13) {
      parts = node.getInts("split");
      if (parts == null && Node.input(in, 1) != null) {
        parts = Node.input(in, 1).toLongArray();
      }
    } else {
      Value s = Node.input(in, 1);
      parts = s == null ? null : s.toLongArray();
    }
    int n = node.outputCount();
    if (parts == null) {
      if (node.has("num_outputs")) {
        n = (int) node.getInt("num_outputs");
      }
      long chunk = (dim + n - 1) / n;
      parts = new long[n];
      long left = dim;
      for (int i = 0; i < n; i++) {
        parts[i] = node.has("num_outputs") ? Math.min(chunk, left) : dim / n;
        left -= parts[i];
      }
    }
    long total = Arrays.stream(parts).sum();
    if (total != dim) {
      throw new IllegalArgumentException("split " + Arrays.toString(parts) + " does not sum to dimension " + dim);
    }
    List<Value> out = new ArrayList<>();
    long start = 0;
    for (long p : parts) {
      out.add(range(x, axis, start, p));
      start += p;
    }
    return out;
  }

  static List<Value> pad(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    int r = x.rank();
    long[] pads;
    double fill;
    if (node.opset() < 11) {
      pads = node.getInts(node.has("paddings") ? "paddings" : "pads");
      fill = node.getFloat("value", 0);
    } else {
      pads = node.required(in, 1, "pads").toLongArray();
      Value c = Node.input(in, 2);
      fill = c == null || c.size() == 0 ? 0 : c.getDouble(0);
    }
    Value axesIn = node.opset() >= 18 ? Node.input(in, 3) : null;
    long[] full = new long[2 * r];
    if (axesIn != null) {
      long[] axes = axesIn.toLongArray();
      for (int i = 0; i < axes.length; i++) {
        int a = Shapes.axis(axes[i], r, "axis");
        full[a] = pads[i];
        full[a + r] = pads[i + axes.length];
      }
    } else {
      if (pads == null || pads.length != 2 * r) {
        throw new IllegalArgumentException("pads must hold " + 2 * r + " values for rank " + r);
      }
      full = pads;
    }
    String mode = node.getString("mode", "constant");
    long[] out = new long[r];
    for (int d = 0; d < r; d++) {
      out[d] = x.dim(d) + full[d] + full[d + r];
      if (out[d] < 0) {
        throw new IllegalArgumentException("pads " + Arrays.toString(full) + " remove more than dimension " + d);
      }
    }
    int[] str = Shapes.strides(x.shapeRef());
    int[] src = new int[Shapes.size(out)];
    int[] pos = new int[r];
    for (int k = 0; k < src.length; k++) {
      Windows.unravel(k, out, pos);
      int off = 0;
      for (int d = 0; d < r; d++) {
        long p = pos[d] - full[d];
        long n = x.dim(d);
        if (p < 0 || p >= n) {
          switch (mode) {
            case "constant":
              off = -1;
              break;
            case "edge":
              p = p < 0 ? 0 : n - 1;
              break;
            case "reflect":
              long period = 2 * (n - 1);
              p = period == 0 ? 0 : Math.floorMod(p, period);
              p = p >= n ? period - p : p;
              break;
            case "wrap":
              p = Math.floorMod(p, n);
              break;
            default:
              throw new IllegalArgumentException("mode must be constant, reflect, edge or wrap, got '" + mode + "'");
          }
          if (off < 0) {
            break;
          }
        }
        off += (int) p * str[d];
      }
      src[k] = off;
    }
    return List.of(takeOrFill(x, out, src, fill));
  }

  static List<Value> tile(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    long[] reps = node.required(in, 1, "repeats").toLongArray();
    int r = x.rank();
    if (reps.length != r) {
      throw new IllegalArgumentException("repeats must hold " + r + " values, got " + reps.length);
    }
    long[] out = new long[r];
    for (int d = 0; d < r; d++) {
      out[d] = x.dim(d) * reps[d];
    }
    int[] str = Shapes.strides(x.shapeRef());
    int[] src = new int[Shapes.size(out)];
    int[] pos = new int[r];
    for (int k = 0; k < src.length; k++) {
      Windows.unravel(k, out, pos);
      int off = 0;
      for (int d = 0; d < r; d++) {
        off += (int) (pos[d] % x.dim(d)) * str[d];
      }
      src[k] = off;
    }
    return List.of(IndexingOps.take(x, out, src));
  }

  /** {@code Trilu}: keeps the upper (default) or lower triangle of the last two dimensions, offset by k. */
  static List<Value> trilu(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value kv = Node.input(in, 1);
    long k = kv == null ? 0 : kv.getLong(0);
    boolean upper = node.getInt("upper", 1) != 0;
    if (x.rank() < 2) {
      throw new IllegalArgumentException("input must have rank 2 or more, got " + Shapes.str(x.shapeRef()));
    }
    long rows = x.dim(-2);
    long cols = x.dim(-1);
    int[] src = new int[x.size()];
    for (int e = 0; e < src.length; e++) {
      long j = e % cols;
      long i = (e / cols) % rows;
      boolean keep = upper ? j - i >= k : j - i <= k;
      src[e] = keep ? e : -1;
    }
    return List.of(takeOrFill(x, x.shape(), src, 0));
  }

  static List<Value> compress(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    Value cond = node.required(in, 1, "condition");
    Value flat = x;
    int axis;
    if (node.has("axis")) {
      axis = Shapes.axis(node.getInt("axis"), x.rank(), "axis");
    } else {
      flat = reshaped(x, new long[] {x.size()});
      axis = 0;
    }
    long dim = flat.dim(axis);
    List<Long> keep = new ArrayList<>();
    for (int i = 0; i < Math.min(dim, cond.size()); i++) {
      if (cond.getLong(i) != 0) {
        keep.add((long) i);
      }
    }
    int outer = Shapes.product(flat.shapeRef(), 0, axis);
    int inner = Shapes.product(flat.shapeRef(), axis + 1, flat.rank());
    long[] shape = flat.shape();
    shape[axis] = keep.size();
    int[] src = new int[Shapes.size(shape)];
    int p = 0;
    for (int o = 0; o < outer; o++) {
      for (long a : keep) {
        for (int i = 0; i < inner; i++) {
          src[p++] = (int) ((o * dim + a) * inner + i);
        }
      }
    }
    return List.of(IndexingOps.take(flat, shape, src));
  }

  /** {@code DepthToSpace} (mode DCR, or CRD) and {@code SpaceToDepth} on (N, C, H, W) tensors. */
  /** Refuses an input that is not (N, C, H, W) with C divisible by blocksize². */
  private static void checkBlocks(Value x, long b, boolean channels) {
    if (x.rank() != 4 || b <= 0 || (channels ? x.dim(1) % (b * b) != 0 : x.dim(2) % b != 0 || x.dim(3) % b != 0)) {
      throw new IllegalArgumentException("input must be (N, C, H, W) with " + (channels ? "C" : "H and W")
          + " divisible by blocksize" + (channels ? "^2" : "") + " " + b + ", got " + Shapes.str(x.shapeRef()));
    }
  }

  static List<Value> depthToSpace(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    int b = (int) node.getInt("blocksize");
    checkBlocks(x, b, true);
    boolean crd = node.getString("mode", "DCR").equals("CRD");
    long n = x.dim(0);
    long c = x.dim(1);
    long h = x.dim(2);
    long w = x.dim(3);
    long oc = c / (b * b);
    long[] out = {n, oc, h * b, w * b};
    int[] src = new int[x.size()];
    int p = 0;
    for (long in0 = 0; in0 < n; in0++) {
      for (long ch = 0; ch < oc; ch++) {
        for (long y = 0; y < h * b; y++) {
          for (long z = 0; z < w * b; z++) {
            long by = y % b;
            long bz = z % b;
            long srcC = crd ? ch * b * b + by * b + bz : (by * b + bz) * oc + ch;
            src[p++] = (int) (((in0 * c + srcC) * h + y / b) * w + z / b);
          }
        }
      }
    }
    return List.of(IndexingOps.take(x, out, src));
  }

  static List<Value> spaceToDepth(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    int b = (int) node.getInt("blocksize");
    checkBlocks(x, b, false);
    long n = x.dim(0);
    long c = x.dim(1);
    long h = x.dim(2);
    long w = x.dim(3);
    long[] out = {n, c * b * b, h / b, w / b};
    int[] src = new int[x.size()];
    int p = 0;
    for (long in0 = 0; in0 < n; in0++) {
      for (long oc = 0; oc < c * b * b; oc++) {
        long ch = oc % c;
        long blk = oc / c;
        for (long y = 0; y < h / b; y++) {
          for (long z = 0; z < w / b; z++) {
            src[p++] = (int) (((in0 * c + ch) * h + y * b + blk / b) * w + z * b + blk % b);
          }
        }
      }
    }
    return List.of(IndexingOps.take(x, out, src));
  }

  /** {@code NonZero}: the indices of the non-zero elements, shape (rank, count). */
  static List<Value> nonZero(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    int r = x.rank();
    List<Integer> hits = new ArrayList<>();
    for (int k = 0; k < x.size(); k++) {
      if (x.getDouble(k) != 0 || (!x.type().isFloating() && x.getLong(k) != 0)) {
        hits.add(k);
      }
    }
    long[] res = new long[r * hits.size()];
    int[] pos = new int[r];
    for (int h = 0; h < hits.size(); h++) {
      Windows.unravel(hits.get(h), x.shapeRef(), pos);
      for (int d = 0; d < r; d++) {
        res[d * hits.size() + h] = pos[d];
      }
    }
    return List.of(Value.wrapLongs(DataType.INT64, new long[] {r, hits.size()}, res));
  }
}

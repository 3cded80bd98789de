package dev.rnnx.ref.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * Operators that copy elements to new positions or select them by index: {@code Concat},
 * {@code Transpose}, {@code Expand}, {@code Slice}, {@code Gather} and {@code ReverseSequence}, all
 * built on {@link #take}. Operators that only change the shape are {@link ShapeOps}'.
 *
 * <p>The starts/ends/axes of {@code Slice} are attributes below opset 10 and inputs from 10.
 */
final class IndexingOps {

  private IndexingOps() {}

  /** The elements of {@code v} at the given row-major indices, as a tensor of {@code shape}. */
  static Value take(Value v, long[] shape, int[] idx) {
    if (v.type().isFloating()) {
      double[] d = v.doublesRef();
      double[] r = new double[idx.length];
      for (int k = 0; k < r.length; k++) {
        r[k] = d[idx[k]];
      }
      return Value.wrapDoubles(v.type(), shape, r);
    }
    long[] d = v.longsRef();
    long[] r = new long[idx.length];
    for (int k = 0; k < r.length; k++) {
      r[k] = d[idx[k]];
    }
    return Value.wrapLongs(v.type(), shape, r);
  }

  static List<Value> concat(Node node, List<Value> in) {
    if (in.isEmpty()) {
      throw new IllegalArgumentException("Concat needs at least one input");
    }
    for (int i = 0; i < in.size(); i++) {
      node.required(in, i, "inputs[" + i + "]");
    }
    return List.of(concat(in, node.getInt("axis")));
  }

  /** The values (all present) joined along {@code axisAttr} (negative: from the end). */
  static Value concat(List<Value> in, long axisAttr) {
    Value first = in.get(0);
    int rank = first.rank();
    int axis = Shapes.axis(axisAttr, rank, "axis");
    long[] out = first.shape();
    out[axis] = 0;
    for (int i = 0; i < in.size(); i++) {
      Value v = in.get(i);
      if (v.type() != first.type() || v.rank() != rank) {
        throw new IllegalArgumentException("input " + i + " is " + v.type() + Shapes.str(v.shapeRef())
            + ", expected the type and rank of input 0, " + first.type() + Shapes.str(first.shapeRef()));
      }
      for (int d = 0; d < rank; d++) {
        if (d != axis && v.dim(d) != first.dim(d)) {
          throw new IllegalArgumentException("input " + i + " has shape " + Shapes.str(v.shapeRef())
              + ", which differs from input 0's " + Shapes.str(first.shapeRef()) + " outside axis " + axis);
        }
      }
      out[axis] += v.dim(axis);
    }
    int outer = Shapes.product(out, 0, axis);
    int total = Shapes.size(out);
    if (first.type().isFloating()) {
      double[] r = new double[total];
      int pos = 0;
      for (int o = 0; o < outer; o++) {
        for (Value v : in) {
          int chunk = Shapes.product(v.shapeRef(), axis, rank);
          System.arraycopy(v.doublesRef(), o * chunk, r, pos, chunk);
          pos += chunk;
        }
      }
      return Value.wrapDoubles(first.type(), out, r);
    }
    long[] r = new long[total];
    int pos = 0;
    for (int o = 0; o < outer; o++) {
      for (Value v : in) {
        int chunk = Shapes.product(v.shapeRef(), axis, rank);
        System.arraycopy(v.longsRef(), o * chunk, r, pos, chunk);
        pos += chunk;
      }
    }
    return Value.wrapLongs(first.type(), out, r);
  }

  static List<Value> transpose(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    int rank = x.rank();
    long[] permAttr = node.getInts("perm");
    int[] perm = new int[rank];
    if (permAttr == null) {
      for (int i = 0; i < rank; i++) {
        perm[i] = rank - 1 - i;
      }
    } else {
      if (permAttr.length != rank) {
        throw new IllegalArgumentException("perm " + Arrays.toString(permAttr) + " does not match rank " + rank);
      }
      boolean[] seen = new boolean[rank];
      for (int i = 0; i < rank; i++) {
        perm[i] = Shapes.axis(permAttr[i], rank, "perm entry");
        if (seen[perm[i]]) {
          throw new IllegalArgumentException("perm " + Arrays.toString(permAttr) + " is not a permutation");
        }
        seen[perm[i]] = true;
      }
    }
    return List.of(permute(x, perm));
  }

  /** {@code out.dim(i) = x.dim(perm[i])}. */
  static Value permute(Value x, int[] perm) {
    int rank = x.rank();
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      out[i] = x.dim(perm[i]);
    }
    int[] inStrides = Shapes.strides(x.shapeRef());
    int n = x.size();
    int[] idx = new int[n];
    int[] counter = new int[rank];
    int offset = 0;
    for (int k = 0; k < n; k++) {
      idx[k] = offset;
      for (int d = rank - 1; d >= 0; d--) {
        counter[d]++;
        offset += inStrides[perm[d]];
        if (counter[d] < out[d]) {
          break;
        }
        offset -= inStrides[perm[d]] * counter[d];
        counter[d] = 0;
      }
    }
    return take(x, out, idx);
  }

  static List<Value> expand(Node node, List<Value> in) {
    Value x = node.required(in, 0, "input");
    long[] shape = ShapeOps.ints(node.required(in, 1, "shape"), "shape");
    long[] out = Shapes.broadcast(x.shapeRef(), shape);
    return List.of(take(x, out, Shapes.broadcastIndex(x.shapeRef(), out)));
  }

  /** {@code Slice}, with numpy's clamping of out-of-range starts and ends and negative steps. */
  static List<Value> slice(Node node, List<Value> in) {
    Value x = node.required(in, 0, "data");
    int rank = x.rank();
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps = null;
    if (node.opset() < 10) {
      starts = node.getInts("starts");
      ends = node.getInts("ends");
      axes = node.getInts("axes");
    } else {
      starts = ShapeOps.ints(node.required(in, 1, "starts"), "starts");
      ends = ShapeOps.ints(node.required(in, 2, "ends"), "ends");
      Value a = Node.input(in, 3);
      Value s = Node.input(in, 4);
      axes = a == null ? null : ShapeOps.ints(a, "axes");
      steps = s == null ? null : ShapeOps.ints(s, "steps");
    }
    if (starts == null || ends == null || starts.length != ends.length) {
      throw new IllegalArgumentException("starts and ends must be given with the same length");
    }
    if (axes == null) {
      axes = new long[starts.length];
      for (int i = 0; i < axes.length; i++) {
        axes[i] = i;
      }
    }
    if (steps == null) {
      steps = new long[starts.length];
      Arrays.fill(steps, 1);
    }
    if (axes.length != starts.length || steps.length != starts.length) {
      throw new IllegalArgumentException("starts, ends, axes and steps must have the same length");
    }
    long[] first = new long[rank];
    long[] step = new long[rank];
    long[] out = x.shape();
    Arrays.fill(step, 1);
    boolean[] seen = new boolean[rank];
    for (int i = 0; i < starts.length; i++) {
      int d = Shapes.axis(axes[i], rank, "axis");
      if (seen[d]) {
        throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " repeat an axis");
      }
      seen[d] = true;
      long dim = x.dim(d);
      long st = steps[i];
      if (st == 0) {
        throw new IllegalArgumentException("slice step cannot be 0");
      }
      long s = starts[i] < 0 ? starts[i] + dim : starts[i];
      long e = ends[i] < 0 ? ends[i] + dim : ends[i];
      long len;
      if (st > 0) {
        s = clamp(s, 0, dim);
        e = clamp(e, 0, dim);
        len = e > s ? (e - s + st - 1) / st : 0;
      } else {
        s = clamp(s, 0, dim - 1);
        e = clamp(e, -1, dim - 1);
        len = s > e ? (s - e + (-st) - 1) / (-st) : 0;
      }
      first[d] = s;
      step[d] = st;
      out[d] = len;
    }
    int[] strides = Shapes.strides(x.shapeRef());
    int n = Shapes.size(out);
    int[] idx = new int[n];
    int[] counter = new int[rank];
    for (int k = 0; k < n; k++) {
      int offset = 0;
      for (int d = 0; d < rank; d++) {
        offset += (int) (first[d] + counter[d] * step[d]) * strides[d];
      }
      idx[k] = offset;
      for (int d = rank - 1; d >= 0; d--) {
        if (++counter[d] < out[d]) {
          break;
        }
        counter[d] = 0;
      }
    }
    return List.of(take(x, out, idx));
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  /** {@code Gather}: indices (int32 or int64, negative counting from the end) along one axis. */
  static List<Value> gather(Node node, List<Value> in) {
    Value data = node.required(in, 0, "data");
    Value indices = node.required(in, 1, "indices");
    if (indices.type() != DataType.INT32 && indices.type() != DataType.INT64) {
      throw new IllegalArgumentException("indices must be INT32 or INT64, got " + indices.type());
    }
    int rank = data.rank();
    int axis = Shapes.axis(node.getInt("axis", 0), rank, "axis");
    long dim = data.dim(axis);
    long[] ds = data.shapeRef();
    long[] is = indices.shapeRef();
    long[] out = new long[rank - 1 + is.length];
    System.arraycopy(ds, 0, out, 0, axis);
    System.arraycopy(is, 0, out, axis, is.length);
    System.arraycopy(ds, axis + 1, out, axis + is.length, rank - axis - 1);
    int outer = Shapes.product(ds, 0, axis);
    int inner = Shapes.product(ds, axis + 1, rank);
    int count = indices.size();
    int[] idx = new int[outer * count * inner];
    int k = 0;
    for (int o = 0; o < outer; o++) {
      for (int j = 0; j < count; j++) {
        long i = indices.getLong(j);
        if (i < -dim || i >= dim) {
          throw new IllegalArgumentException("index " + i + " is out of range for axis " + axis + " of size " + dim);
        }
        int base = (int) ((o * dim + (i < 0 ? i + dim : i)) * inner);
        for (int p = 0; p < inner; p++) {
          idx[k++] = base + p;
        }
      }
    }
    return List.of(take(data, out, idx));
  }

  /**
   * ReverseSequence (opset 10): reverses the first {@code sequence_lens[b]} entries along
   * {@code time_axis} for every batch entry b along {@code batch_axis}; the rest stay in place.
   */
  static List<Value> reverseSequence(Node node, List<Value> in) {
    Value data = node.required(in, 0, "input");
    Value lens = node.required(in, 1, "sequence_lens");
    int rank = data.rank();
    if (rank < 2) {
      throw new IllegalArgumentException("input must have rank >= 2, got " + rank);
    }
    int batchAxis = (int) node.getInt("batch_axis", 1);
    int timeAxis = (int) node.getInt("time_axis", 0);
    if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0))) {
      throw new IllegalArgumentException("batch_axis and time_axis must be 0 and 1 in either order, got "
          + batchAxis + " and " + timeAxis);
    }
    long[] shape = data.shapeRef();
    int batch = (int) shape[batchAxis];
    int time = (int) shape[timeAxis];
    if (lens.rank() != 1 || lens.dim(0) != batch) {
      throw new IllegalArgumentException("sequence_lens must have shape [" + batch + "], got " + Arrays.toString(lens.shape()));
    }
    int inner = Shapes.product(shape, 2, rank);
    int[] idx = new int[data.size()];
    for (int b = 0; b < batch; b++) {
      long len = lens.getLong(b);
      if (len < 0 || len > time) {
        throw new IllegalArgumentException("sequence_lens[" + b + "] is " + len + ", expected 0 … " + time);
      }
      for (int t = 0; t < time; t++) {
        int source = t < len ? (int) (len - 1 - t) : t;
        int to = (timeAxis == 0 ? t * batch + b : b * time + t) * inner;
        int from = (timeAxis == 0 ? source * batch + b : b * time + source) * inner;
        for (int p = 0; p < inner; p++) {
          idx[to + p] = from + p;
        }
      }
    }
    return List.of(take(data, shape, idx));
  }
}

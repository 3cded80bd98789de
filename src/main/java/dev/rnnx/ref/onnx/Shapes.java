package dev.rnnx.ref.onnx;

import dev.rnnx.spec.Budget;
import java.util.Arrays;

/** Shape arithmetic shared by the kernels: sizes, strides, axes and numpy broadcasting. */
final class Shapes {

  private Shapes() {}

  /**
   * The element count of a shape.
   *
   * @throws dev.rnnx.spec.BudgetException when it is over {@link Budget#ONNX_EVAL_ELEMENTS} (checked
   *     before a kernel allocates its output)
   */
  static int size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Budget.times(n, d);
    }
    Budget.ONNX_EVAL_ELEMENTS.check("tensor of shape " + str(shape), n);
    return Math.toIntExact(n);
  }

  /** Product of {@code shape[from..to)}. */
  static int product(long[] shape, int from, int to) {
    long n = 1;
    for (int i = from; i < to; i++) {
      n *= shape[i];
    }
    return Math.toIntExact(n);
  }

  static int[] strides(long[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= (int) shape[i];
    }
    return s;
  }

  /**
   * An axis in {@code [-rank, rank)} made non-negative.
   *
   * @throws IllegalArgumentException when out of range
   */
  static int axis(long axis, int rank, String what) {
    if (axis < -rank || axis >= rank) {
      throw new IllegalArgumentException(what + " " + axis + " is out of range for rank " + rank + " (valid: "
          + -rank + " to " + (rank - 1) + ")");
    }
    return (int) (axis < 0 ? axis + rank : axis);
  }

  /**
   * The numpy broadcast of several shapes.
   *
   * @throws IllegalArgumentException when they are incompatible
   */
  static long[] broadcast(long[]... shapes) {
    int rank = 0;
    for (long[] s : shapes) {
      rank = Math.max(rank, s.length);
    }
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    for (long[] s : shapes) {
      for (int i = 0; i < s.length; i++) {
        int o = rank - s.length + i;
        long d = s[i];
        if (d == out[o] || d == 1) {
          continue;
        }
        if (out[o] == 1) {
          out[o] = d;
        } else {
          throw new IllegalArgumentException("shapes cannot be broadcast together: " + describe(shapes));
        }
      }
    }
    return out;
  }

  private static String describe(long[][] shapes) {
    StringBuilder sb = new StringBuilder();
    for (long[] s : shapes) {
      sb.append(sb.length() == 0 ? "" : ", ").append(Arrays.toString(s));
    }
    return sb.toString();
  }

  /**
   * For each element of a tensor of shape {@code out}, the index of the element of a tensor of shape
   * {@code in} that broadcasts onto it ({@code in} must broadcast to {@code out}).
   */
  static int[] broadcastIndex(long[] in, long[] out) {
    int n = size(out);
    int[] idx = new int[n];
    int rank = out.length;
    int[] inStride = new int[rank];
    int[] inStrides = strides(in);
    for (int i = 0; i < in.length; i++) {
      int o = rank - in.length + i;
      inStride[o] = in[i] == 1 ? 0 : inStrides[i];
    }
    if (n == 0) {
      return idx;
    }
    int[] counter = new int[rank];
    int offset = 0;
    for (int k = 0; k < n; k++) {
      idx[k] = offset;
      for (int d = rank - 1; d >= 0; d--) {
        counter[d]++;
        offset += inStride[d];
        if (counter[d] < out[d]) {
          break;
        }
        offset -= inStride[d] * counter[d];
        counter[d] = 0;
      }
    }
    return idx;
  }

  static String str(long[] shape) {
    return Arrays.toString(shape);
  }
}

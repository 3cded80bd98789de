package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * Reductions over a set of axes: {@code ReduceSum}, {@code ReduceMean}, {@code ReduceMax},
 * {@code ReduceMin}, {@code ReduceProd}, {@code ReduceSumSquare}, {@code ReduceL1},
 * {@code ReduceL2} and {@code ReduceLogSumExp}, with {@code keepdims} (default 1).
 *
 * <p>The axes are an attribute up to opset 12 for {@code ReduceSum} and up to opset 17 for the
 * others, and an optional second input from then on, when {@code noop_with_empty_axes=1} with no
 * axes makes the operator an identity. Without axes every axis is reduced. Integer inputs are
 * reduced in double and converted back (truncating, for {@code ReduceMean}).
 */
final class ReduceOps {

  private ReduceOps() {}

  private enum Kind {
    SUM, MEAN, MAX, MIN, PROD, SUM_SQUARE, L1, L2, LOG_SUM_EXP, LOG_SUM
  }

  static OpKernel kernel(String opType) {
    Kind kind;
    switch (opType) {
      case "ReduceSum":
        kind = Kind.SUM;
        break;
      case "ReduceMean":
        kind = Kind.MEAN;
        break;
      case "ReduceMax":
        kind = Kind.MAX;
        break;
      case "ReduceMin":
        kind = Kind.MIN;
        break;
      case "ReduceProd":
        kind = Kind.PROD;
        break;
      case "ReduceSumSquare":
        kind = Kind.SUM_SQUARE;
        break;
      case "ReduceL1":
        kind = Kind.L1;
        break;
      case "ReduceL2":
        kind = Kind.L2;
        break;
      case "ReduceLogSumExp":
        kind = Kind.LOG_SUM_EXP;
        break;
      case "ReduceLogSum":
        kind = Kind.LOG_SUM;
        break;
      default:
        throw new IllegalArgumentException("not a reduction: " + opType);
    }
    int axesInputSince = kind == Kind.SUM ? 13 : 18;
    return (node, in) -> List.of(reduce(node, in, kind, axesInputSince));
  }

  private static Value reduce(Node node, List<Value> in, Kind kind, int axesInputSince) {
    Value x = node.required(in, 0, "data");
    int rank = x.rank();
    boolean keepDims = node.getInt("keepdims", 1) != 0;
    long[] axes;
    if (node.opset() < axesInputSince) {
      axes = node.getInts("axes");
    } else {
      Value a = Node.input(in, 1);
      axes = a == null ? null : ShapeOps.ints(a, "axes");
      if ((axes == null || axes.length == 0) && node.getInt("noop_with_empty_axes", 0) != 0) {
        return x;
      }
    }
    boolean[] reduced = new boolean[rank];
    if (axes == null || axes.length == 0) {
      java.util.Arrays.fill(reduced, true);
    } else {
      for (long a : axes) {
        reduced[Shapes.axis(a, rank, "axis")] = true;
      }
    }
    long[] kept = new long[rank];
    int outRank = 0;
    for (int d = 0; d < rank; d++) {
      kept[d] = reduced[d] ? 1 : x.dim(d);
      if (!reduced[d] || keepDims) {
        outRank++;
      }
    }
    long[] out = new long[outRank];
    int j = 0;
    for (int d = 0; d < rank; d++) {
      if (!reduced[d] || keepDims) {
        out[j++] = kept[d];
      }
    }
    int n = Shapes.size(kept);
    double[] acc = new double[n];
    double init = kind == Kind.MAX ? Double.NEGATIVE_INFINITY
        : kind == Kind.MIN ? Double.POSITIVE_INFINITY : kind == Kind.PROD ? 1 : 0;
    java.util.Arrays.fill(acc, init);
    double[] shift = null;
    if (kind == Kind.LOG_SUM_EXP) {
      shift = new double[n];
      java.util.Arrays.fill(shift, Double.NEGATIVE_INFINITY);
    }
    int[] keptStrides = Shapes.strides(kept);
    int size = x.size();
    int[] counter = new int[rank];
    int[] target = new int[size];
    for (int k = 0; k < size; k++) {
      int t = 0;
      for (int d = 0; d < rank; d++) {
        if (!reduced[d]) {
          t += counter[d] * keptStrides[d];
        }
      }
      target[k] = t;
      for (int d = rank - 1; d >= 0; d--) {
        if (++counter[d] < x.dim(d)) {
          break;
        }
        counter[d] = 0;
      }
    }
    if (shift != null) {
      for (int k = 0; k < size; k++) {
        shift[target[k]] = Math.max(shift[target[k]], x.getDouble(k));
      }
    }
    for (int k = 0; k < size; k++) {
      double v = x.getDouble(k);
      int t = target[k];
      switch (kind) {
        case MAX:
          acc[t] = Math.max(acc[t], v);
          break;
        case MIN:
          acc[t] = Math.min(acc[t], v);
          break;
        case PROD:
          acc[t] *= v;
          break;
        case SUM_SQUARE:
        case L2:
          acc[t] += v * v;
          break;
        case L1:
          acc[t] += Math.abs(v);
          break;
        case LOG_SUM_EXP:
          acc[t] += Math.exp(v - shift[t]);
          break;
        default:
          acc[t] += v;
      }
    }
    int count = n == 0 ? 0 : size / n;
    for (int t = 0; t < n; t++) {
      if (kind == Kind.MEAN) {
        acc[t] /= count;
      } else if (kind == Kind.L2) {
        acc[t] = Math.sqrt(acc[t]);
      } else if (kind == Kind.LOG_SUM_EXP) {
        acc[t] = Math.log(acc[t]) + shift[t];
      } else if (kind == Kind.LOG_SUM) {
        acc[t] = Math.log(acc[t]);
      }
    }
    return Value.ofNumbers(x.type(), out, acc);
  }
}

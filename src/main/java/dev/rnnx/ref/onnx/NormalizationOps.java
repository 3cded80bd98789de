package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalisations: {@code Softmax}, {@code LogSoftmax} and {@code LayerNormalization}.
 *
 * <p>{@code Softmax}/{@code LogSoftmax} changed meaning at opset 13. From 13 they normalise along
 * one axis (default -1). Below 13 the input is coerced to 2-D, {@code [prod(dims[:axis]),
 * prod(dims[axis:])]} with default axis 1, and every row is normalised as a whole. Both are computed
 * with the row maximum subtracted, so large inputs do not overflow.
 *
 * <p>{@code LayerNormalization} (opset 17) normalises over the axes from {@code axis} (default -1)
 * to the end: {@code Y = (X - mean) / sqrt(var + epsilon) * Scale + B}, with the population
 * variance; its optional outputs {@code Mean} and {@code InvStdDev} keep the reduced axes as size 1
 * and have the {@code stash_type} (default float). The reference always computes in double.
 */
final class NormalizationOps {

  private NormalizationOps() {}

  static List<Value> softmax(Node node, List<Value> in) {
    return List.of(softmax(node, in, false));
  }

  static List<Value> logSoftmax(Node node, List<Value> in) {
    return List.of(softmax(node, in, true));
  }

  private static Value softmax(Node node, List<Value> in, boolean log) {
    Value x = node.required(in, 0, "input");
    if (!x.type().isFloating()) {
      throw new IllegalArgumentException(node.opType() + " needs a floating input, got " + x.type());
    }
    int rank = x.rank();
    int outer;
    int len;
    int inner;
    if (node.opset() < 13) {
      int axis = rank == 0 ? 0 : (node.getInt("axis", 1) == rank ? rank : Shapes.axis(node.getInt("axis", 1), rank,
          "axis"));
      outer = Shapes.product(x.shapeRef(), 0, axis);
      len = Shapes.product(x.shapeRef(), axis, rank);
      inner = 1;
    } else {
      if (rank == 0) {
        throw new IllegalArgumentException(node.opType() + " needs an input of rank >= 1");
      }
      int axis = Shapes.axis(node.getInt("axis", -1), rank, "axis");
      outer = Shapes.product(x.shapeRef(), 0, axis);
      len = (int) x.dim(axis);
      inner = Shapes.product(x.shapeRef(), axis + 1, rank);
    }
    return Value.wrapDoubles(x.type(), x.shape(), softmax(x.doublesRef(), outer, len, inner, log));
  }

  /**
   * Softmax (or log-softmax) of {@code d} viewed as {@code [outer, len, inner]}, over the middle
   * dimension, shifted by each slice's maximum.
   */
  static double[] softmax(double[] d, int outer, int len, int inner, boolean log) {
    double[] r = new double[d.length];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) {
          max = Math.max(max, d[base + k * inner]);
        }
        double sum = 0;
        for (int k = 0; k < len; k++) {
          sum += Math.exp(d[base + k * inner] - max);
        }
        double logSum = Math.log(sum);
        for (int k = 0; k < len; k++) {
          double shifted = d[base + k * inner] - max;
          r[base + k * inner] = log ? shifted - logSum : Math.exp(shifted) / sum;
        }
      }
    }
    return r;
  }

  static List<Value> layerNormalization(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    Value scale = node.required(in, 1, "Scale");
    Value bias = Node.input(in, 2);
    if (!x.type().isFloating()) {
      throw new IllegalArgumentException("LayerNormalization needs a floating input, got " + x.type());
    }
    int rank = x.rank();
    int axis = Shapes.axis(node.getInt("axis", -1), rank, "axis");
    double epsilon = node.getFloat("epsilon", 1e-5);
    DataType stash = DataType.fromOnnx((int) node.getInt("stash_type", 1));
    int outer = Shapes.product(x.shapeRef(), 0, axis);
    int len = Shapes.product(x.shapeRef(), axis, rank);
    int[] is = unidirectional(scale, x, "Scale");
    int[] ib = bias == null ? null : unidirectional(bias, x, "B");
    double[] d = x.doublesRef();
    double[] y = new double[d.length];
    double[] means = new double[outer];
    double[] invStd = new double[outer];
    for (int o = 0; o < outer; o++) {
      int base = o * len;
      double mean = 0;
      for (int k = 0; k < len; k++) {
        mean += d[base + k];
      }
      mean /= len;
      double var = 0;
      for (int k = 0; k < len; k++) {
        double c = d[base + k] - mean;
        var += c * c;
      }
      var /= len;
      double inv = 1.0 / Math.sqrt(var + epsilon);
      means[o] = mean;
      invStd[o] = inv;
      for (int k = 0; k < len; k++) {
        int e = base + k;
        double v = (d[e] - mean) * inv * scale.getDouble(is[e]);
        if (ib != null) {
          v += bias.getDouble(ib[e]);
        }
        y[e] = v;
      }
    }
    long[] statShape = x.shape();
    for (int a = axis; a < rank; a++) {
      statShape[a] = 1;
    }
    List<Value> out = new ArrayList<>();
    out.add(Value.wrapDoubles(x.type(), x.shape(), y));
    out.add(Value.ofNumbers(stash, statShape, means));
    out.add(Value.ofNumbers(stash, statShape.clone(), invStd));
    return out;
  }

  /** Element indices of {@code v} broadcast onto {@code target}'s shape, which must not grow. */
  private static int[] unidirectional(Value v, Value target, String what) {
    long[] b = Shapes.broadcast(v.shapeRef(), target.shapeRef());
    if (!java.util.Arrays.equals(b, target.shapeRef())) {
      throw new IllegalArgumentException(what + " of shape " + Shapes.str(v.shapeRef())
          + " cannot be broadcast to X's shape " + Shapes.str(target.shapeRef()));
    }
    return Shapes.broadcastIndex(v.shapeRef(), target.shapeRef());
  }
}

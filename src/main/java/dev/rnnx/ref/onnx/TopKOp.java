package dev.rnnx.ref.onnx;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code TopK}: the {@code k} largest (or, with {@code largest=0}, smallest) elements along an axis
 * (default -1) and their int64 indices. {@code k} is an attribute below opset 10 and a one-element
 * int64 input from 10. Equal elements keep their index order (the lower index first), as the spec
 * has required since opset 11; results are always sorted.
 */
final class TopKOp {

  private TopKOp() {}

  static List<Value> topK(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    long k = node.opset() < 10 ? node.getInt("k") : ShapeOps.ints(node.required(in, 1, "K"), "K")[0];
    int rank = x.rank();
    int axis = Shapes.axis(node.getInt("axis", -1), rank, "axis");
    boolean largest = node.getInt("largest", 1) != 0;
    int len = (int) x.dim(axis);
    if (k < 0 || k > len) {
      throw new IllegalArgumentException("k = " + k + " is out of range for axis " + axis + " of size " + len);
    }
    int outer = Shapes.product(x.shapeRef(), 0, axis);
    int inner = Shapes.product(x.shapeRef(), axis + 1, rank);
    long[] out = x.shape();
    out[axis] = k;
    int kk = (int) k;
    int[] take = new int[outer * kk * inner];
    long[] indices = new long[take.length];
    Integer[] order = new Integer[len];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        int base = o * len * inner + i;
        for (int p = 0; p < len; p++) {
          order[p] = p;
        }
        Comparator<Integer> byValue = Comparator.comparingDouble(p -> x.getDouble(base + p * inner));
        if (largest) {
          byValue = byValue.reversed();
        }
        Arrays.sort(order, byValue.thenComparing(Comparator.naturalOrder())); // stable: lower index first
        for (int p = 0; p < kk; p++) {
          int e = (o * kk + p) * inner + i;
          take[e] = base + order[p] * inner;
          indices[e] = order[p];
        }
      }
    }
    return List.of(IndexingOps.take(x, out, take), Value.ofInt64(out, indices));
  }
}

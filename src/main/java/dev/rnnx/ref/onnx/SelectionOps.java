package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Operators that select elements by value: {@code Unique} (flattened or along {@code axis}, sorted
 * or in order of first occurrence, with first indices, inverse indices and counts) and
 * {@code NonMaxSuppression} (greedy, per batch and class).
 */
final class SelectionOps {

  private SelectionOps() {}

  static List<Value> unique(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    boolean sorted = node.getInt("sorted", 1) != 0;
    Value v = x;
    int axis;
    if (node.has("axis")) {
      axis = Shapes.axis(node.getInt("axis"), x.rank(), "axis");
    } else {
      v = LayoutOps.reshaped(x, new long[] {x.size()});
      axis = 0;
    }
    int outer = Shapes.product(v.shapeRef(), 0, axis);
    int len = (int) v.dim(axis);
    int inner = Shapes.product(v.shapeRef(), axis + 1, v.rank());
    double[][] slices = new double[len][outer * inner];
    for (int a = 0; a < len; a++) {
      for (int o = 0; o < outer; o++) {
        for (int i = 0; i < inner; i++) {
          slices[a][o * inner + i] = v.getDouble((o * len + a) * inner + i);
        }
      }
    }
    Map<String, Integer> first = new LinkedHashMap<>();
    Map<String, Integer> count = new LinkedHashMap<>();
    String[] keys = new String[len];
    for (int a = 0; a < len; a++) {
      keys[a] = Arrays.toString(slices[a]);
      first.putIfAbsent(keys[a], a);
      count.merge(keys[a], 1, Integer::sum);
    }
    List<Integer> order = new ArrayList<>(first.values());
    if (sorted) {
      Comparator<Integer> lex = (p, q) -> Arrays.compare(slices[p], slices[q]);
      order.sort(lex);
    }
    Map<String, Integer> rank = new LinkedHashMap<>();
    for (int i = 0; i < order.size(); i++) {
      rank.put(keys[order.get(i)], i);
    }
    long[] shape = v.shape();
    shape[axis] = order.size();
    int[] src = new int[Shapes.size(shape)];
    int p = 0;
    for (int o = 0; o < outer; o++) {
      for (int a : order) {
        for (int i = 0; i < inner; i++) {
          src[p++] = (o * len + a) * inner + i;
        }
      }
    }
    long[] idx = order.stream().mapToLong(Integer::longValue).toArray();
    long[] inv = new long[len];
    for (int a = 0; a < len; a++) {
      inv[a] = rank.get(keys[a]);
    }
    long[] cnt = order.stream().mapToLong(a -> count.get(keys[a])).toArray();
    List<Value> out = new ArrayList<>();
    out.add(IndexingOps.take(v, shape, src));
    out.add(Value.wrapLongs(DataType.INT64, new long[] {idx.length}, idx));
    out.add(Value.wrapLongs(DataType.INT64, new long[] {len}, inv));
    out.add(Value.wrapLongs(DataType.INT64, new long[] {cnt.length}, cnt));
    return out;
  }

  /**
   * {@code NonMaxSuppression}: per batch and class, boxes by decreasing score (above
   * {@code score_threshold}), each kept unless its IoU with a kept box exceeds {@code iou_threshold},
   * at most {@code max_output_boxes_per_class}; output rows {@code (batch, class, box)}.
   */
  static List<Value> nonMaxSuppression(Node node, List<Value> in) {
    Value boxes = node.required(in, 0, "boxes");
    Value scores = node.required(in, 1, "scores");
    Value maxV = Node.input(in, 2);
    Value iouV = Node.input(in, 3);
    Value thV = Node.input(in, 4);
    long max = maxV == null || maxV.size() == 0 ? 0 : maxV.getLong(0);
    double iouTh = iouV == null || iouV.size() == 0 ? 0 : iouV.getDouble(0);
    boolean hasTh = thV != null && thV.size() > 0;
    double th = hasTh ? thV.getDouble(0) : 0;
    boolean center = node.getInt("center_point_box", 0) != 0;
    int batches = (int) boxes.dim(0);
    int n = (int) boxes.dim(1);
    int classes = (int) scores.dim(1);
    if (boxes.rank() != 3 || boxes.dim(2) != 4 || scores.rank() != 3 || scores.dim(0) != batches
        || scores.dim(2) != n) {
      throw new IllegalArgumentException("boxes must be [B, N, 4] and scores [B, C, N], got "
          + Shapes.str(boxes.shapeRef()) + " and " + Shapes.str(scores.shapeRef()));
    }
    List<long[]> selected = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      double[][] box = new double[n][];
      for (int i = 0; i < n; i++) {
        double[] c = new double[4];
        for (int k = 0; k < 4; k++) {
          c[k] = boxes.getDouble((b * n + i) * 4 + k);
        }
        box[i] = center ? new double[] {c[1] - c[3] / 2, c[0] - c[2] / 2, c[1] + c[3] / 2, c[0] + c[2] / 2}
            : new double[] {Math.min(c[0], c[2]), Math.min(c[1], c[3]), Math.max(c[0], c[2]), Math.max(c[1], c[3])};
      }
      for (int c = 0; c < classes; c++) {
        int base = (b * classes + c) * n;
        List<Integer> cand = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (!hasTh || scores.getDouble(base + i) > th) {
            cand.add(i);
          }
        }
        cand.sort((p, q) -> Double.compare(scores.getDouble(base + q), scores.getDouble(base + p)));
        List<Integer> kept = new ArrayList<>();
        for (int i : cand) {
          if (kept.size() >= max) {
            break;
          }
          boolean ok = true;
          for (int k : kept) {
            if (iou(box[i], box[k]) > iouTh) {
              ok = false;
              break;
            }
          }
          if (ok) {
            kept.add(i);
            selected.add(new long[] {b, c, i});
          }
        }
      }
    }
    long[] r = new long[selected.size() * 3];
    for (int i = 0; i < selected.size(); i++) {
      System.arraycopy(selected.get(i), 0, r, i * 3, 3);
    }
    return List.of(Value.wrapLongs(DataType.INT64, new long[] {selected.size(), 3}, r));
  }

  private static double iou(double[] a, double[] b) {
    double ih = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    double iw = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    if (ih <= 0 || iw <= 0) {
      return 0;
    }
    double inter = ih * iw;
    double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union <= 0 ? 0 : inter / union;
  }
}

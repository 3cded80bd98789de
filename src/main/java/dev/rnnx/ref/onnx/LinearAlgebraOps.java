package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Det} (LU decomposition with partial pivoting, over the last two dimensions) and
 * {@code Einsum} (any equation of explicit or implicit form, with an ellipsis, summed in double
 * precision over every combination of the summed letters).
 */
final class LinearAlgebraOps {

  private LinearAlgebraOps() {}

  static List<Value> det(Node node, List<Value> in) {
    Value x = node.required(in, 0, "X");
    if (x.rank() < 2 || x.dim(-1) != x.dim(-2)) {
      throw new IllegalArgumentException("X must be [*, M, M], got " + Shapes.str(x.shapeRef()));
    }
    int n = (int) x.dim(-1);
    int batch = x.size() / Math.max(1, n * n);
    double[] out = new double[batch];
    double[] xd = x.doublesRef();
    for (int b = 0; b < batch; b++) {
      double[] a = java.util.Arrays.copyOfRange(xd, b * n * n, (b + 1) * n * n);
      double det = 1;
      for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++) {
          if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) {
            p = r;
          }
        }
        if (a[p * n + c] == 0) {
          det = 0;
          break;
        }
        if (p != c) {
          for (int k = 0; k < n; k++) {
            double t = a[c * n + k];
            a[c * n + k] = a[p * n + k];
            a[p * n + k] = t;
          }
          det = -det;
        }
        det *= a[c * n + c];
        for (int r = c + 1; r < n; r++) {
          double f = a[r * n + c] / a[c * n + c];
          for (int k = c; k < n; k++) {
            a[r * n + k] -= f * a[c * n + k];
          }
        }
      }
      out[b] = det;
    }
    return List.of(Value.wrapDoubles(x.type(), java.util.Arrays.copyOf(x.shapeRef(), x.rank() - 2), out));
  }

  /** {@code Einsum}. */
  static List<Value> einsum(Node node, List<Value> in) {
    String eq = node.getString("equation", "").replace(" ", "");
    String[] sides = eq.split("->", -1);
    String[] terms = sides[0].split(",", -1);
    if (terms.length != in.size()) {
      throw new IllegalArgumentException("equation '" + eq + "' names " + terms.length + " operands, got " + in.size());
    }
    // the ellipsis stands for the same leading dimensions in every operand: name them with digits
    int ell = 0;
    for (int t = 0; t < terms.length; t++) {
      if (terms[t].contains("...")) {
        ell = Math.max(ell, in.get(t).rank() - (terms[t].length() - 3));
      }
    }
    String ellName = "0123456789".substring(0, ell);
    for (int t = 0; t < terms.length; t++) {
      if (terms[t].contains("...")) {
        int k = in.get(t).rank() - (terms[t].length() - 3);
        terms[t] = terms[t].replace("...", ellName.substring(ell - k));
      }
    }
    String output;
    if (sides.length > 1) {
      output = sides[1].replace("...", ellName);
    } else {
      StringBuilder sb = new StringBuilder(ellName);
      Map<Character, Integer> counts = new java.util.TreeMap<>();
      for (String t : terms) {
        for (char c : t.toCharArray()) {
          if (!Character.isDigit(c)) {
            counts.merge(c, 1, Integer::sum);
          }
        }
      }
      counts.forEach((c, k) -> {
        if (k == 1) {
          sb.append(c);
        }
      });
      output = sb.toString();
    }
    Map<Character, Long> dims = new LinkedHashMap<>();
    for (int t = 0; t < terms.length; t++) {
      Value v = in.get(t);
      if (terms[t].length() != v.rank()) {
        throw new IllegalArgumentException("operand " + t + " of shape " + Shapes.str(v.shapeRef())
            + " does not match '" + terms[t] + "'");
      }
      for (int d = 0; d < v.rank(); d++) {
        char c = terms[t].charAt(d);
        Long prev = dims.get(c);
        if (prev == null || prev == 1) {
          dims.put(c, v.dim(d));
        } else if (v.dim(d) != prev && v.dim(d) != 1) {
          throw new IllegalArgumentException("label " + c + " has sizes " + prev + " and " + v.dim(d));
        }
      }
    }
    List<Character> labels = new ArrayList<>(dims.keySet());
    long[] all = new long[labels.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = dims.get(labels.get(i));
    }
    long[] outShape = new long[output.length()];
    int[] outPos = new int[output.length()];
    for (int i = 0; i < outShape.length; i++) {
      outPos[i] = labels.indexOf(output.charAt(i));
      outShape[i] = all[outPos[i]];
    }
    int[][] termPos = new int[terms.length][];
    int[][] termStr = new int[terms.length][];
    for (int t = 0; t < terms.length; t++) {
      termPos[t] = new int[terms[t].length()];
      termStr[t] = Shapes.strides(in.get(t).shapeRef());
      for (int d = 0; d < termPos[t].length; d++) {
        termPos[t][d] = labels.indexOf(terms[t].charAt(d));
        if (in.get(t).dim(d) == 1) {
          termStr[t][d] = 0;
        }
      }
    }
    int[] outStr = Shapes.strides(outShape);
    double[] y = new double[Shapes.size(outShape)];
    int[] idx = new int[all.length];
    int total = Shapes.size(all);
    for (int k = 0; k < total; k++) {
      Windows.unravel(k, all, idx);
      double p = 1;
      for (int t = 0; t < terms.length; t++) {
        int off = 0;
        for (int d = 0; d < termPos[t].length; d++) {
          off += idx[termPos[t][d]] * termStr[t][d];
        }
        p *= in.get(t).getDouble(off);
      }
      int o = 0;
      for (int d = 0; d < outPos.length; d++) {
        o += idx[outPos[d]] * outStr[d];
      }
      y[o] += p;
    }
    return List.of(Value.ofNumbers(in.get(0).type(), outShape, y));
  }
}

package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.GraphFacts.Fact;
import java.util.List;
import java.util.Set;

/**
 * What the indexing, shape and normalisation kernels assume: {@code Gather}'s indices of int32 or
 * int64 and its axis inside the data's rank; {@code Reshape}'s shape a 1-D int64 tensor with at
 * most one {@code -1}, no value below it, a {@code 0} only where the input has that axis, and the
 * same element count when both are known; {@code Transpose}'s {@code perm} a permutation of the
 * input's axes; {@code Softmax}/{@code LogSoftmax}'s axis inside the rank;
 * {@code LayerNormalization}'s axis inside the rank and scale and bias of the normalised size;
 * {@code Conv}'s weights of the input's rank, channels agreeing with {@code group}, and spatial
 * attribute lists of the spatial rank.
 */
final class TensorKernelRules {

  private TensorKernelRules() {}

  static void gather(NodeCheck c) {
    c.arity(2, 1);
    c.require(0, "data");
    c.require(1, "indices");
    c.type(1, "indices", NodeCheck.INDICES);
    Long axis = c.attrInt("axis");
    Fact data = c.in(0);
    if (data != null && data.rank() == 0) {
      throw c.failInput(0, "data", "rank at least 1", "a scalar");
    }
    c.axis("axis", axis == null ? 0 : axis, data == null ? -1 : data.rank());
  }

  static void reshape(NodeCheck c) {
    c.arity(2, 1);
    c.require(0, "data");
    c.require(1, "shape");
    c.type(1, "shape", Set.of(NodeCheck.INT64));
    c.rank(1, "shape", 1);
    Long allowZero = c.attrInt("allowzero");
    OnnxMl.TensorProto shape = c.constant(1);
    if (shape == null || shape.getDataType() != NodeCheck.INT64) {
      return;
    }
    List<Long> target = InitializerRule.longs(shape);
    if (target == null) {
      return;
    }
    Fact data = c.in(0);
    int minusOnes = 0;
    long known = 1;
    for (int i = 0; i < target.size(); i++) {
      long v = target.get(i);
      if (v < -1) {
        throw c.failInput(1, "shape", "sizes of at least -1", NodeCheck.list(target));
      }
      if (v == -1) {
        minusOnes++;
      } else if (v == 0 && (allowZero == null || allowZero == 0)) {
        if (data != null && data.dims() != null && i >= data.rank()) {
          throw c.failInput(1, "shape", "a 0 (copy an input axis) only at an axis the input " + NodeCheck.str(data.dims()) + " has",
              NodeCheck.list(target));
        }
        long d = data == null ? -1 : data.dim(i);
        known = d < 0 || known < 0 ? -1 : Math.multiplyHigh(known, d) != 0 ? -1 : known * d;
      } else {
        known = known < 0 ? -1 : Math.multiplyHigh(known, v) != 0 ? -1 : known * v;
      }
    }
    if (minusOnes > 1) {
      throw c.failInput(1, "shape", "at most one -1", NodeCheck.list(target));
    }
    if (minusOnes == 1 && allowZero != null && allowZero != 0 && target.contains(0L)) {
      throw c.failInput(1, "shape", "no 0 beside a -1 when allowzero=1", NodeCheck.list(target));
    }
    long elements = data == null ? -1 : data.elements();
    if (elements >= 0 && known >= 0) {
      boolean ok = minusOnes == 0 ? known == elements : known == 0 ? elements == 0 : elements % known == 0;
      if (!ok) {
        throw c.failInput(1, "shape", "a shape of the input's " + elements + " elements (input " + NodeCheck.str(data.dims()) + ")",
            NodeCheck.list(target));
      }
    }
  }

  static void transpose(NodeCheck c) {
    c.arity(1, 1);
    c.require(0, "data");
    List<Long> perm = c.attrInts("perm");
    Fact data = c.in(0);
    if (perm == null) {
      return;
    }
    int rank = data == null ? -1 : data.rank();
    boolean[] seen = new boolean[perm.size()];
    boolean ok = rank < 0 || perm.size() == rank;
    for (long p : perm) {
      ok &= p >= 0 && p < perm.size() && !seen[(int) p];
      if (p >= 0 && p < perm.size()) {
        seen[(int) p] = true;
      }
    }
    if (!ok) {
      throw c.failAttr("perm", "a permutation of 0.." + ((rank < 0 ? perm.size() : rank) - 1)
          + (rank < 0 ? "" : " (input rank " + rank + ")"), NodeCheck.list(perm));
    }
  }

  /**
   * {@code Squeeze} without axes removes every axis of size 1, so its output rank depends on the
   * data when an input axis is not known; ONNX Runtime's graph optimisers assume a fixed rank and
   * abort the process when a later op meets another one. Such a node is refused; with axes, each
   * must lie inside the input's rank and name an axis of size 1 where that is known.
   */
  static void squeeze(NodeCheck c) {
    c.arity(2, 1);
    c.require(0, "data");
    Fact data = c.in(0);
    List<Long> axes = c.opset() >= 13 ? (c.given(1) ? constantAxes(c, 1) : null) : c.attrInts("axes");
    boolean noAxes = c.opset() >= 13 ? !c.given(1) : axes == null;
    if (noAxes) {
      if (data == null || data.dims() == null || java.util.Arrays.stream(data.dims()).anyMatch(d -> d < 0)) {
        throw c.fail("expected explicit axes: without them the output rank depends on the input's sizes"
            + (data == null || data.dims() == null ? ", and the input's shape is not known" : ", and the input is "
            + NodeCheck.str(data.dims())));
      }
      return;
    }
    if (axes == null || data == null || data.dims() == null) {
      return;
    }
    for (long a : axes) {
      c.axis("axes", a, data.rank());
      long d = data.dim((int) a);
      if (d >= 0 && d != 1) {
        throw c.failInput(0, "data", "size 1 at axis " + a, "shape " + NodeCheck.str(data.dims()));
      }
    }
  }

  private static List<Long> constantAxes(NodeCheck c, int i) {
    OnnxMl.TensorProto t = c.constant(i);
    return t == null || t.getDataType() != NodeCheck.INT64 ? null : InitializerRule.longs(t);
  }

  static void softmax(NodeCheck c) {
    c.arity(1, 1);
    c.require(0, "input");
    c.type(0, "input", NodeCheck.FLOATS_BF);
    Long axis = c.attrInt("axis");
    Fact in = c.in(0);
    c.axis("axis", axis == null ? (c.opset() >= 13 ? -1 : 1) : axis, in == null ? -1 : in.rank());
  }

  static void layerNormalization(NodeCheck c) {
    c.arity(3, 3);
    c.require(0, "X");
    c.require(1, "Scale");
    c.type(0, "X", NodeCheck.FLOATS_BF);
    c.sameType(1, "Scale", 0, "X");
    c.sameType(2, "B", 0, "X");
    Long axisAttr = c.attrInt("axis");
    c.attrFloat("epsilon");
    Fact x = c.in(0);
    long axis = axisAttr == null ? -1 : axisAttr;
    int rank = x == null ? -1 : x.rank();
    c.axis("axis", axis, rank);
    if (rank < 0) {
      return;
    }
    long normalised = 1;
    for (int i = (int) (axis < 0 ? axis + rank : axis); i < rank; i++) {
      long d = x.dims()[i];
      normalised = d < 0 || normalised < 0 ? -1 : normalised * d;
    }
    for (int i = 1; i <= 2; i++) {
      Fact f = c.in(i);
      long n = f == null ? -1 : f.elements();
      if (normalised >= 0 && n >= 0 && n != normalised) {
        throw c.failInput(i, i == 1 ? "Scale" : "B", normalised + " elements (X's axes from " + axis + " of " + NodeCheck.str(x.dims()) + ")",
            "shape " + NodeCheck.str(f.dims()));
      }
    }
  }

  static void conv(NodeCheck c) {
    c.arity(3, 1);
    c.require(0, "X");
    c.require(1, "W");
    c.type(0, "X", NodeCheck.FLOATS);
    c.sameType(1, "W", 0, "X");
    c.sameType(2, "B", 0, "X");
    Long groupAttr = c.attrInt("group");
    long group = groupAttr == null ? 1 : groupAttr;
    if (group < 1) {
      throw c.failAttr("group", "a positive count", Long.toString(group));
    }
    Fact x = c.in(0);
    Fact w = c.in(1);
    int rank = w != null && w.rank() >= 0 ? w.rank() : x == null ? -1 : x.rank();
    if (rank >= 0 && rank < 3) {
      throw c.failInput(1, "W", "rank at least 3 [M, C/group, k...]", "rank " + rank);
    }
    c.rank(0, "X", rank);
    if (rank < 0) {
      return;
    }
    int spatial = rank - 2;
    for (String name : List.of("kernel_shape", "strides", "dilations")) {
      List<Long> v = c.attrInts(name);
      if (v != null && (v.size() != spatial || v.stream().anyMatch(d -> d <= 0))) {
        throw c.failAttr(name, spatial + " positive values (one per spatial axis)", NodeCheck.list(v));
      }
    }
    List<Long> pads = c.attrInts("pads");
    if (pads != null && (pads.size() != 2 * spatial || pads.stream().anyMatch(d -> d < 0))) {
      throw c.failAttr("pads", 2 * spatial + " non-negative values (begin and end of each spatial axis)", NodeCheck.list(pads));
    }
    long channels = x == null ? -1 : x.dim(1);
    long wIn = w == null ? -1 : w.dim(1);
    long m = w == null ? -1 : w.dim(0);
    if (channels >= 0 && wIn >= 0 && wIn * group != channels) {
      throw c.failInput(1, "W", "axis 1 = C/group = " + channels + "/" + group, "shape " + NodeCheck.str(w.dims()));
    }
    if (m >= 0 && m % group != 0) {
      throw c.failInput(1, "W", "axis 0 (M) divisible by group=" + group, "shape " + NodeCheck.str(w.dims()));
    }
    c.shape(2, "B", new long[] {m}, "[M=" + (m < 0 ? "?" : m) + "]");
  }
}

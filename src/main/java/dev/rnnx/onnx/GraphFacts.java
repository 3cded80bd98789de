package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What is known about a graph's values before running it, for {@link KernelAssumptions}: the
 * element type and shape of every initializer, {@code Constant} output and graph input, carried
 * forward through the nodes whose output shape follows from their input without doubt (identity,
 * element-wise unary ops, {@code Cast}, {@code Transpose}). Declared {@code value_info} of
 * intermediate values is not trusted: a wrong declaration must not refuse a valid model.
 * A subgraph's facts fall back to its outer graph's.
 */
final class GraphFacts {

  /**
   * One value's facts.
   *
   * @param type the ONNX element type code, 0 when unknown
   * @param dims the shape, {@code null} when the rank is unknown; an unknown axis is {@code -1}
   */
  record Fact(int type, long[] dims) {

    /** The rank, or -1 when unknown. */
    int rank() {
      return dims == null ? -1 : dims.length;
    }

    /** Axis {@code i} (negative counts from the end), -1 when unknown. */
    long dim(int i) {
      if (dims == null) {
        return -1;
      }
      int k = i < 0 ? dims.length + i : i;
      return k < 0 || k >= dims.length ? -1 : dims[k];
    }

    /** The element count when every axis is known, else -1. */
    long elements() {
      if (dims == null) {
        return -1;
      }
      long n = 1;
      for (long d : dims) {
        if (d < 0) {
          return -1;
        }
        n = d == 0 ? 0 : n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
      }
      return n;
    }
  }

  private static final List<String> SAME_SHAPE = List.of("Identity", "Relu", "Tanh", "Sigmoid", "Softsign", "Softplus",
      "Elu", "HardSigmoid", "Neg", "Abs", "Exp", "Log", "Sqrt", "Erf", "Not", "LeakyRelu", "Softmax", "LogSoftmax");

  private final GraphFacts outer;
  private final Map<String, Fact> facts = new HashMap<>();
  private final Map<String, OnnxMl.TensorProto> constants = new HashMap<>();

  private GraphFacts(GraphFacts outer) {
    this.outer = outer;
  }

  /** The facts a graph declares before its first node: inputs, then initializers over them. */
  static GraphFacts of(OnnxMl.GraphProto graph, GraphFacts outer) {
    GraphFacts f = new GraphFacts(outer);
    for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
      f.facts.put(v.getName(), declared(v));
    }
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      f.constant(t.getName(), t);
    }
    return f;
  }

  /** The facts of a value, {@code null} when nothing is known or the name is empty. */
  Fact get(String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    Fact f = facts.get(name);
    return f != null || outer == null ? f : outer.get(name);
  }

  /** The constant a value holds (initializer or {@code Constant} node), or {@code null}. */
  OnnxMl.TensorProto constant(String name) {
    OnnxMl.TensorProto t = constants.get(name);
    return t != null || outer == null ? t : outer.constant(name);
  }

  /** Records what a node's outputs are known to be, once the node has passed its checks. */
  void after(OnnxMl.NodeProto n) {
    String op = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : "";
    if (n.getOutputCount() == 0) {
      return;
    }
    String out = n.getOutput(0);
    if (op.equals("Constant")) {
      for (OnnxMl.AttributeProto a : n.getAttributeList()) {
        if (a.getName().equals("value") && a.hasT()) {
          constant(out, a.getT());
        }
      }
      return;
    }
    Fact in = n.getInputCount() > 0 ? get(n.getInput(0)) : null;
    if (in == null) {
      return;
    }
    if (SAME_SHAPE.contains(op) || op.equals("Dropout")) {
      facts.put(out, in);
    } else if (op.equals("Cast")) {
      int to = (int) n.getAttributeList().stream().filter(a -> a.getName().equals("to")).mapToLong(OnnxMl.AttributeProto::getI)
          .findFirst().orElse(0);
      facts.put(out, new Fact(to, in.dims()));
    } else if ((op.equals("LSTM") || op.equals("GRU") || op.equals("RNN")) && in.dims() != null && in.dims().length == 3) {
      recurrentOutputs(n, in);
    } else if (op.equals("Squeeze") && in.dims() != null) {
      List<Long> axes = axes(n);
      if (axes != null) {
        List<Long> d = new java.util.ArrayList<>();
        for (int i = 0; i < in.dims().length; i++) {
          final int k = i;
          if (axes.stream().noneMatch(a -> a == k || a + in.dims().length == k)) {
            d.add(in.dims()[i]);
          }
        }
        facts.put(out, new Fact(in.type(), d.stream().mapToLong(Long::longValue).toArray()));
      }
    } else if (op.equals("Transpose") && in.dims() != null) {
      List<Long> perm = n.getAttributeList().stream().filter(a -> a.getName().equals("perm")).findFirst()
          .map(OnnxMl.AttributeProto::getIntsList).orElse(null);
      long[] d = new long[in.dims().length];
      for (int i = 0; i < d.length; i++) {
        d[i] = perm == null ? in.dims()[d.length - 1 - i] : in.dims()[perm.get(i).intValue()];
      }
      facts.put(out, new Fact(in.type(), d));
    }
  }

  /** A Squeeze's axes, from its attribute or its constant second input; {@code null} when not known. */
  private List<Long> axes(OnnxMl.NodeProto n) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals("axes")) {
        return a.getIntsList();
      }
    }
    OnnxMl.TensorProto t = n.getInputCount() > 1 ? constant(n.getInput(1)) : null;
    return t == null || t.getDataType() != NodeCheck.INT64 ? null : InitializerRule.longs(t);
  }

  /** {@code Y [T, dirs, B, H]} and the final states {@code [dirs, B, H]} (batch first with layout 1). */
  private void recurrentOutputs(OnnxMl.NodeProto n, Fact x) {
    long dirs = 1;
    long hidden = -1;
    long layout = 0;
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      switch (a.getName()) {
        case "direction" -> dirs = a.getS().toStringUtf8().equals("bidirectional") ? 2 : 1;
        case "hidden_size" -> hidden = a.getI();
        case "layout" -> layout = a.getI();
        default -> { }
      }
    }
    Fact r = n.getInputCount() > 2 ? get(n.getInput(2)) : null;
    if (hidden < 0 && r != null) {
      hidden = r.dim(2);
    }
    long t = x.dims()[layout == 0 ? 0 : 1];
    long b = x.dims()[layout == 0 ? 1 : 0];
    long[] y = layout == 0 ? new long[] {t, dirs, b, hidden} : new long[] {b, t, dirs, hidden};
    long[] state = layout == 0 ? new long[] {dirs, b, hidden} : new long[] {b, dirs, hidden};
    for (int i = 0; i < n.getOutputCount(); i++) {
      if (!n.getOutput(i).isEmpty()) {
        facts.put(n.getOutput(i), new Fact(x.type(), i == 0 ? y : state.clone()));
      }
    }
  }

  private void constant(String name, OnnxMl.TensorProto t) {
    constants.put(name, t);
    long[] d = new long[t.getDimsCount()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.getDims(i);
    }
    facts.put(name, new Fact(t.getDataType(), d));
  }

  private static Fact declared(OnnxMl.ValueInfoProto v) {
    if (!v.hasType() || !v.getType().hasTensorType()) {
      return new Fact(0, null);
    }
    OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
    if (!t.hasShape()) {
      return new Fact(t.getElemType(), null);
    }
    long[] d = new long[t.getShape().getDimCount()];
    for (int i = 0; i < d.length; i++) {
      OnnxMl.TensorShapeProto.Dimension dim = t.getShape().getDim(i);
      d[i] = dim.hasDimValue() ? dim.getDimValue() : -1;
    }
    return new Fact(t.getElemType(), d);
  }
}

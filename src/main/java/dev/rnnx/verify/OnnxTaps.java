package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A copy of an ONNX model with intermediate values exposed as extra graph outputs (typed float,
 * shape left to the runtime), so that a runtime computes and returns them along with the real
 * outputs. An optional node output left empty (a recurrent node's {@code Y} when the layer returns
 * only its last state) is given a name first, so the runtime computes it too.
 */
final class OnnxTaps {

  /** The suffix of names given to optional outputs that were left empty. */
  static final String TAP_SUFFIX = "__rnnx_tap";

  private OnnxTaps() {}

  /** The names of every value some node produces, in node order. */
  static List<String> producedValues(OnnxMl.GraphProto g) {
    List<String> out = new ArrayList<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      for (String o : n.getOutputList()) {
        if (!o.isEmpty()) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** The node producing a value, or {@code null}. */
  static OnnxMl.NodeProto producer(OnnxMl.GraphProto g, String value) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getOutputList().contains(value)) {
        return n;
      }
    }
    return null;
  }

  /**
   * Names output {@code index} of a node (by node name) if it is empty, and returns its name.
   *
   * @param named receives the renamed node
   */
  static String nameOutput(OnnxMl.GraphProto.Builder g, String nodeName, int index) {
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto n = g.getNode(i);
      if (!n.getName().equals(nodeName)) {
        continue;
      }
      OnnxMl.NodeProto.Builder b = n.toBuilder();
      while (b.getOutputCount() <= index) {
        b.addOutput("");
      }
      if (b.getOutput(index).isEmpty()) {
        b.setOutput(index, nodeName + "/output" + index + TAP_SUFFIX);
        g.setNode(i, b);
      }
      return b.getOutput(index);
    }
    throw new IllegalArgumentException("no node named '" + nodeName + "'");
  }

  /**
   * The model with {@code values} added as graph outputs (those already outputs, and names no node
   * produces, are left alone).
   */
  static OnnxMl.ModelProto expose(OnnxMl.ModelProto model, OnnxMl.GraphProto.Builder graph, List<String> values) {
    Set<String> outputs = new HashSet<>();
    graph.getOutputList().forEach(o -> outputs.add(o.getName()));
    Set<String> produced = new HashSet<>(producedValues(graph.build()));
    for (String v : values) {
      if (outputs.add(v) && produced.contains(v)) {
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(v).setType(OnnxMl.TypeProto.newBuilder()
            .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE))));
      }
    }
    return model.toBuilder().setGraph(graph).build();
  }

  /** The initializers of a graph by name. */
  static Map<String, OnnxMl.TensorProto> initializers(OnnxMl.GraphProto g) {
    Map<String, OnnxMl.TensorProto> m = new LinkedHashMap<>();
    g.getInitializerList().forEach(t -> m.put(t.getName(), t));
    return m;
  }
}

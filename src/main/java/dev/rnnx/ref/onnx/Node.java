package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph node as a kernel sees it: its name and op type, the opset version in force for its
 * domain, its attributes with defaults, its subgraphs (prepared when the node is), and access to
 * its optional inputs.
 */
final class Node {

  private final NodeProto proto;
  private final String label;
  private final int opset;
  private final Map<String, GraphProgram> subgraphs;

  /**
   * @param visible the names a subgraph of this node may read from enclosing graphs
   */
  Node(NodeProto proto, int index, int opset, Set<String> visible) {
    this.proto = proto;
    this.label = proto.getName().isEmpty() ? "#" + index : proto.getName();
    this.opset = opset;
    Map<String, GraphProgram> graphs = new LinkedHashMap<>();
    for (AttributeProto a : proto.getAttributeList()) {
      if (a.hasG()) {
        try {
          graphs.put(a.getName(), new GraphProgram(a.getG(), opset, visible));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("subgraph '" + a.getName() + "' of node '" + label + "' ("
              + proto.getOpType() + "): " + e.getMessage(), e);
        }
      } else if (a.getGraphsCount() > 0) {
        throw new UnsupportedOperationException("attribute '" + a.getName() + "' of node '" + label
            + "' holds a list of graphs, which is not supported");
      }
    }
    this.subgraphs = Collections.unmodifiableMap(graphs);
  }

  /** A graph attribute, prepared; the message names the node when it is missing. */
  GraphProgram subgraph(String name) {
    GraphProgram g = subgraphs.get(name);
    if (g == null) {
      throw new IllegalArgumentException("required graph attribute '" + name + "' is missing");
    }
    return g;
  }

  /** The node's name, or {@code #index} for an unnamed node. */
  String name() {
    return label;
  }

  String opType() {
    return proto.getOpType();
  }

  /** The opset version of the node's domain in the model. */
  int opset() {
    return opset;
  }

  NodeProto proto() {
    return proto;
  }

  /** How many outputs the node declares (including empty names). */
  int outputCount() {
    return proto.getOutputCount();
  }

  /** Whether output {@code i} is declared with a non-empty name. */
  boolean wantsOutput(int i) {
    return i < proto.getOutputCount() && !proto.getOutput(i).isEmpty();
  }

  /** Input {@code i}, or null when it is absent or given as an empty name. */
  static Value input(List<Value> inputs, int i) {
    return i < inputs.size() ? inputs.get(i) : null;
  }

  /** Input {@code i}, which must be present. */
  Value required(List<Value> inputs, int i, String what) {
    Value v = input(inputs, i);
    if (v == null) {
      throw new IllegalArgumentException("required input " + i + " (" + what + ") is missing");
    }
    return v;
  }

  private AttributeProto attr(String name) {
    for (AttributeProto a : proto.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  boolean has(String name) {
    return attr(name) != null;
  }

  private AttributeProto typed(String name, AttributeProto.AttributeType type) {
    AttributeProto a = attr(name);
    if (a == null) {
      return null;
    }
    if (!a.getRefAttrName().isEmpty()) {
      throw new UnsupportedOperationException("attribute '" + name + "' refers to a function attribute");
    }
    if (a.hasType() && a.getType() != type) {
      throw new IllegalArgumentException("attribute '" + name + "' must be " + type + ", got " + a.getType());
    }
    return a;
  }

  long getInt(String name, long dflt) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.INT);
    return a == null ? dflt : a.getI();
  }

  /** A required int attribute. */
  long getInt(String name) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.INT);
    if (a == null) {
      throw new IllegalArgumentException("required attribute '" + name + "' is missing");
    }
    return a.getI();
  }

  double getFloat(String name, double dflt) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.FLOAT);
    return a == null ? dflt : a.getF();
  }

  String getString(String name, String dflt) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.STRING);
    return a == null ? dflt : a.getS().toStringUtf8();
  }

  /** An ints attribute, or null when absent. */
  long[] getInts(String name) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.INTS);
    if (a == null) {
      return null;
    }
    long[] r = new long[a.getIntsCount()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.getInts(i);
    }
    return r;
  }

  /** A floats attribute, or null when absent. */
  double[] getFloats(String name) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.FLOATS);
    if (a == null) {
      return null;
    }
    double[] r = new double[a.getFloatsCount()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.getFloats(i);
    }
    return r;
  }

  /** A strings attribute, or null when absent. */
  List<String> getStrings(String name) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.STRINGS);
    if (a == null) {
      return null;
    }
    List<String> r = new ArrayList<>();
    a.getStringsList().forEach(s -> r.add(s.toStringUtf8()));
    return r;
  }

  /** A tensor attribute, or null when absent. */
  TensorProto getTensor(String name) {
    AttributeProto a = typed(name, AttributeProto.AttributeType.TENSOR);
    return a == null ? null : a.getT();
  }

  /** The names of all attributes present. */
  List<String> attributeNames() {
    List<String> r = new ArrayList<>();
    proto.getAttributeList().forEach(a -> r.add(a.getName()));
    return r;
  }
}

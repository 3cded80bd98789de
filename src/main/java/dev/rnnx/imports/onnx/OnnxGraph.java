package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportException;
import dev.rnnx.tensorio.TensorProtoCodec;
import dev.rnnx.tensorio.TypedTensor;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph indexed for import: its initializers (decoded on first use), the graph inputs that
 * are not initializers, the nodes that contribute to the graph outputs (dead nodes, such as the
 * final states PyTorch computes but a model does not return, are skipped), and attribute readers
 * whose refusals name the file and the node.
 */
final class OnnxGraph {

  private final Path file;
  private final OnnxMl.GraphProto graph;
  private final Map<String, OnnxMl.TensorProto> initializers = new LinkedHashMap<>();
  private final Map<String, TypedTensor> decoded = new HashMap<>();
  private final Set<String> live = new HashSet<>();

  OnnxGraph(Path file, OnnxMl.GraphProto graph) {
    this.file = file;
    this.graph = graph;
    graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    markLive();
  }

  /** The file the graph came from, for messages. */
  Path file() {
    return file;
  }

  /** The graph inputs that are not initializers, in order. */
  List<OnnxMl.ValueInfoProto> inputs() {
    return graph.getInputList().stream().filter(i -> !initializers.containsKey(i.getName())).toList();
  }

  /** The graph outputs. */
  List<OnnxMl.ValueInfoProto> outputs() {
    return graph.getOutputList();
  }

  /** The nodes that contribute to an output, in graph (topological) order. */
  List<OnnxMl.NodeProto> liveNodes() {
    return graph.getNodeList().stream().filter(n -> n.getOutputList().stream().anyMatch(live::contains)).toList();
  }

  /** Whether a value is read on the way to a graph output. */
  boolean isLive(String value) {
    return !value.isEmpty() && live.contains(value);
  }

  /** An initializer, decoded; {@code null} when {@code name} is not one. */
  TypedTensor initializer(String name) {
    OnnxMl.TensorProto t = initializers.get(name);
    if (t == null) {
      return null;
    }
    return decoded.computeIfAbsent(name, k -> {
      try {
        return TensorProtoCodec.decode(t);
      } catch (IllegalArgumentException e) {
        throw new ImportException(file + ": initializer '" + name + "': " + e.getMessage(), e);
      }
    });
  }

  /** Decodes a {@code Constant} node's tensor {@code value}. */
  TypedTensor constant(OnnxMl.NodeProto node) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals("value") && a.hasT()) {
        try {
          return TensorProtoCodec.decode(a.getT());
        } catch (IllegalArgumentException e) {
          throw error(node, "its value cannot be read: " + e.getMessage());
        }
      }
    }
    throw error(node, "only Constant nodes with a tensor 'value' are supported");
  }

  /** An integer attribute, or {@code fallback} when absent. */
  static long intAttr(OnnxMl.NodeProto node, String name, long fallback) {
    OnnxMl.AttributeProto a = attr(node, name);
    return a == null ? fallback : a.getI();
  }

  /** A float attribute, or {@code fallback} when absent. */
  static float floatAttr(OnnxMl.NodeProto node, String name, float fallback) {
    OnnxMl.AttributeProto a = attr(node, name);
    return a == null ? fallback : a.getF();
  }

  /** A string attribute, or {@code fallback} when absent. */
  static String stringAttr(OnnxMl.NodeProto node, String name, String fallback) {
    OnnxMl.AttributeProto a = attr(node, name);
    return a == null ? fallback : a.getS().toStringUtf8();
  }

  /** An integer-list attribute, or {@code null} when absent. */
  static List<Long> intsAttr(OnnxMl.NodeProto node, String name) {
    OnnxMl.AttributeProto a = attr(node, name);
    return a == null ? null : a.getIntsList();
  }

  /** A string-list attribute, or {@code null} when absent. */
  static List<String> stringsAttr(OnnxMl.NodeProto node, String name) {
    OnnxMl.AttributeProto a = attr(node, name);
    return a == null ? null : a.getStringsList().stream().map(s -> s.toStringUtf8()).toList();
  }

  /** A float-list attribute, or {@code null} when absent. */
  static List<Float> floatsAttr(OnnxMl.NodeProto node, String name) {
    OnnxMl.AttributeProto a = attr(node, name);
    return a == null ? null : a.getFloatsList();
  }

  /** Whether the node sets an attribute. */
  static boolean has(OnnxMl.NodeProto node, String name) {
    return attr(node, name) != null;
  }

  private static OnnxMl.AttributeProto attr(OnnxMl.NodeProto node, String name) {
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  /** The node's input {@code i}, or "" when it has fewer or leaves it out. */
  static String input(OnnxMl.NodeProto node, int i) {
    return i < node.getInputCount() ? node.getInput(i) : "";
  }

  /** How a node is named in messages: {@code node '<name>' (<op>)}, the op with its domain when not the default one. */
  static String describe(OnnxMl.NodeProto node) {
    String op = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? node.getOpType()
        : node.getDomain() + "." + node.getOpType();
    String name = node.getName().isEmpty() ? "writing '" + (node.getOutputCount() > 0 ? node.getOutput(0) : "") + "'"
        : "'" + node.getName() + "'";
    return "node " + name + " (" + op + ")";
  }

  /** A refusal naming the file and the node. */
  ImportException error(OnnxMl.NodeProto node, String what) {
    return new ImportException(file + ": " + describe(node) + ": " + what);
  }

  /** A refusal naming the file. */
  ImportException error(String what) {
    return new ImportException(file + ": " + what);
  }

  private void markLive() {
    Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      n.getOutputList().forEach(o -> producer.put(o, n));
    }
    Deque<String> todo = new ArrayDeque<>();
    graph.getOutputList().forEach(o -> todo.add(o.getName()));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (v.isEmpty() || !live.add(v)) {
        continue;
      }
      OnnxMl.NodeProto n = producer.get(v);
      if (n != null) {
        todo.addAll(n.getInputList());
      }
    }
  }
}

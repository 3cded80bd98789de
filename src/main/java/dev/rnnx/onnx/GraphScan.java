package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What the weight transformations ({@link Float16Weights}, {@link DynamicInt8Quantizer}) need to
 * know about a model: every graph (the main graph and the bodies of control-flow nodes, depth
 * first), every initializer with the graph that owns it, every use of a value by a node input, and
 * every name taken, so that new tensors and nodes get fresh ones.
 */
final class GraphScan {

  /** One node input that reads a value: the graph ({@link #graphs} index), the node's index in it, the input slot. */
  record Use(int graph, int node, int slot, OnnxMl.NodeProto proto) {}

  /** An initializer and the index of the graph that owns it. */
  record Owned(int graph, OnnxMl.TensorProto tensor) {}

  private final List<OnnxMl.GraphProto> graphs = new ArrayList<>();
  private final Map<String, Owned> initializers = new LinkedHashMap<>();
  private final Set<String> shadowed = new HashSet<>();
  private final Set<String> graphInputs = new HashSet<>();
  private final Map<String, List<Use>> uses = new LinkedHashMap<>();
  private final Set<String> taken = new HashSet<>();

  GraphScan(OnnxMl.GraphProto main) {
    visit(main);
  }

  private void visit(OnnxMl.GraphProto g) {
    int id = graphs.size();
    graphs.add(g);
    for (OnnxMl.ValueInfoProto in : g.getInputList()) {
      taken.add(in.getName());
      graphInputs.add(in.getName());
    }
    g.getOutputList().forEach(o -> taken.add(o.getName()));
    g.getValueInfoList().forEach(v -> taken.add(v.getName()));
    for (OnnxMl.TensorProto t : g.getInitializerList()) {
      taken.add(t.getName());
      if (initializers.containsKey(t.getName())) {
        shadowed.add(t.getName());
      }
      initializers.put(t.getName(), new Owned(id, t));
    }
    for (int n = 0; n < g.getNodeCount(); n++) {
      OnnxMl.NodeProto node = g.getNode(n);
      taken.add(node.getName());
      node.getOutputList().forEach(taken::add);
      for (int i = 0; i < node.getInputCount(); i++) {
        String in = node.getInput(i);
        if (!in.isEmpty()) {
          uses.computeIfAbsent(in, k -> new ArrayList<>()).add(new Use(id, n, i, node));
        }
      }
      for (OnnxMl.AttributeProto a : node.getAttributeList()) {
        if (a.hasG()) {
          visit(a.getG());
        }
        a.getGraphsList().forEach(this::visit);
      }
    }
  }

  /** The graphs, main graph first, in the order {@link #rebuild} visits them. */
  List<OnnxMl.GraphProto> graphs() {
    return graphs;
  }

  /**
   * An initializer that a transformation may replace: owned by one graph only (not shadowed by a
   * namesake in a body), not also a graph input (a default the caller may override).
   */
  boolean replaceable(String name) {
    return initializers.containsKey(name) && !shadowed.contains(name) && !graphInputs.contains(name);
  }

  /** The initializers by name, in scan order. */
  Map<String, Owned> initializers() {
    return initializers;
  }

  /** Every node input that reads {@code name}, in every graph. */
  List<Use> uses(String name) {
    return uses.getOrDefault(name, List.of());
  }

  /** A name no tensor or node of the model has, built from {@code base}; reserved. */
  String fresh(String base) {
    String name = base;
    for (int i = 2; taken.contains(name); i++) {
      name = base + "_" + i;
    }
    taken.add(name);
    return name;
  }

  /**
   * Rebuilds the main graph bottom-up: each graph is passed, with its index, to {@code edit} after
   * its nodes' bodies have been rebuilt; {@code edit} returns the graph to keep.
   */
  OnnxMl.GraphProto rebuild(BiFunction<Integer, OnnxMl.GraphProto.Builder, OnnxMl.GraphProto> edit) {
    int[] next = {0};
    return rebuild(graphs.get(0), next, edit);
  }

  private OnnxMl.GraphProto rebuild(OnnxMl.GraphProto g, int[] next,
      BiFunction<Integer, OnnxMl.GraphProto.Builder, OnnxMl.GraphProto> edit) {
    int id = next[0]++;
    OnnxMl.GraphProto.Builder b = g.toBuilder();
    for (int n = 0; n < b.getNodeCount(); n++) {
      OnnxMl.NodeProto node = b.getNode(n);
      boolean hasBody = node.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
      if (!hasBody) {
        continue;
      }
      OnnxMl.NodeProto.Builder nb = node.toBuilder();
      for (int a = 0; a < nb.getAttributeCount(); a++) {
        OnnxMl.AttributeProto.Builder ab = nb.getAttribute(a).toBuilder();
        if (ab.hasG()) {
          ab.setG(rebuild(ab.getG(), next, edit));
        }
        for (int k = 0; k < ab.getGraphsCount(); k++) {
          ab.setGraphs(k, rebuild(ab.getGraphs(k), next, edit));
        }
        nb.setAttribute(a, ab);
      }
      b.setNode(n, nb);
    }
    return edit.apply(id, b);
  }

  /** Stored bytes of every initializer of every graph ({@code raw_data} or the typed fields as encoded). */
  static long initializerBytes(OnnxMl.GraphProto main) {
    long total = 0;
    for (OnnxMl.GraphProto g : new GraphScan(main).graphs()) {
      for (OnnxMl.TensorProto t : g.getInitializerList()) {
        total += t.hasRawData() ? t.getRawData().size() : t.getSerializedSize();
      }
    }
    return total;
  }
}

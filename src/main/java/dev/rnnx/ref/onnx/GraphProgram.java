package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * One graph prepared for evaluation: the main graph of a model, or the body of a control-flow node
 * ({@code Loop}), which may read values of its enclosing graphs by name (ONNX's outer scope).
 *
 * <p>Preparing checks the graph: every node is an operator the evaluator supports at the opset, and
 * every name a node reads is produced by a node, a graph input, an initializer, or (for a
 * subgraph) a value visible in an enclosing graph. Nodes are ordered topologically, keeping the
 * graph's own order among nodes that are ready together; a node whose subgraph reads a value of
 * this graph runs after that value's producer. An instance is immutable.
 */
final class GraphProgram {

  private final String name;
  private final List<Node> nodes;
  private final List<OpKernel> kernels;
  private final Map<String, Value> initializers;
  private final List<ValueInfoProto> requiredInputs;
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final List<ValueInfoProto> outputs;

  /**
   * Prepares a graph.
   *
   * @param outer the names visible from enclosing graphs (empty for a main graph)
   */
  GraphProgram(GraphProto graph, int opset, Set<String> outer) {
    this.name = graph.getName().isEmpty() ? "(unnamed graph)" : graph.getName();
    if (graph.getSparseInitializerCount() > 0) {
      throw new UnsupportedOperationException("sparse initializers are not supported");
    }
    Map<String, Value> inits = new LinkedHashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      inits.put(t.getName(), TensorProtos.decode(t));
    }
    this.initializers = Collections.unmodifiableMap(inits);
    List<ValueInfoProto> required = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (ValueInfoProto v : graph.getInputList()) {
      all.add(v.getName());
      if (!inits.containsKey(v.getName())) {
        required.add(v);
      }
    }
    this.requiredInputs = List.copyOf(required);
    this.inputNames = List.copyOf(all);
    List<String> outs = new ArrayList<>();
    graph.getOutputList().forEach(v -> outs.add(v.getName()));
    this.outputNames = List.copyOf(outs);
    this.outputs = List.copyOf(graph.getOutputList());

    Set<String> visible = new HashSet<>(outer);
    visible.addAll(all);
    visible.addAll(inits.keySet());
    graph.getNodeList().forEach(n -> n.getOutputList().forEach(visible::add));
    List<Node> ns = new ArrayList<>();
    List<OpKernel> ks = new ArrayList<>();
    for (int i : topologicalOrder(graph, outer)) {
      Node node = new Node(graph.getNode(i), i, opset, visible);
      ns.add(node);
      ks.add(kernelFor(node));
    }
    this.nodes = List.copyOf(ns);
    this.kernels = List.copyOf(ks);
  }

  String name() {
    return name;
  }

  /** Every declared graph input, in order (including those with an initializer). */
  List<String> inputNames() {
    return inputNames;
  }

  /** The declared inputs that have no initializer. */
  List<ValueInfoProto> requiredInputs() {
    return requiredInputs;
  }

  List<String> outputNames() {
    return outputNames;
  }

  /** The declaration of output {@code i}. */
  ValueInfoProto outputInfo(int i) {
    return outputs.get(i);
  }

  Map<String, Value> initializers() {
    return initializers;
  }

  /**
   * Runs the nodes.
   *
   * @param scope the values of enclosing graphs and this graph's inputs, by name; initializers are
   *     added unless the scope already holds a value of that name (an overriding input)
   * @return this graph's outputs, in order, by name
   */
  Map<String, Value> execute(Map<String, Value> scope) {
    Map<String, Value> env = new HashMap<>(scope);
    initializers.forEach(env::putIfAbsent);
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      NodeProto p = node.proto();
      List<Value> args = new ArrayList<>(p.getInputCount());
      for (String in : p.getInputList()) {
        args.add(in.isEmpty() ? null : env.get(in));
      }
      List<Value> results;
      try {
        results = kernels.get(i).run(node, args, env);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where(node) + ": " + e.getMessage(), e);
      } catch (UnsupportedOperationException e) {
        throw new UnsupportedOperationException(where(node) + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new IllegalStateException(where(node) + " failed: " + e, e);
      }
      for (int k = 0; k < p.getOutputCount(); k++) {
        String out = p.getOutput(k);
        if (out.isEmpty()) {
          continue;
        }
        Value v = k < results.size() ? results.get(k) : null;
        if (v == null) {
          throw new IllegalArgumentException(where(node) + " does not produce output " + k + " (" + out + ")");
        }
        env.put(out, v);
      }
    }
    Map<String, Value> out = new LinkedHashMap<>();
    for (String o : outputNames) {
      Value v = env.get(o);
      if (v == null) {
        throw new IllegalArgumentException("output " + o + " of graph " + name + " is produced by no node");
      }
      out.put(o, v);
    }
    return out;
  }

  private String where(Node node) {
    return "node '" + node.name() + "' (" + node.opType() + ", opset " + node.opset() + ")";
  }

  private static OpKernel kernelFor(Node node) {
    NodeProto p = node.proto();
    String domain = p.getDomain();
    if (domain.equals(TrainingOps.DOMAIN) && OpRegistry.previewTraining(p.getOpType()) != null) {
      return OpRegistry.previewTraining(p.getOpType());
    }
    if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
      throw new UnsupportedOperationException("op '" + p.getOpType() + "' of domain '" + domain + "' in node '"
          + node.name() + "' is not supported: only the default ONNX domain is (and Adagrad, Adam, Momentum of "
          + TrainingOps.DOMAIN + ")");
    }
    OpRegistry.Entry e = OpRegistry.get(p.getOpType());
    if (e == null) {
      throw new UnsupportedOperationException("op '" + p.getOpType() + "' in node '" + node.name()
          + "' is not supported by the reference evaluator; supported: " + OpRegistry.supported().keySet());
    }
    if (node.opset() < e.sinceOpset() || node.opset() > OpRegistry.MAX_OPSET) {
      throw new UnsupportedOperationException("op '" + p.getOpType() + "' in node '" + node.name() + "' at opset "
          + node.opset() + " is not supported; supported opsets: " + e.sinceOpset() + " to " + OpRegistry.MAX_OPSET);
    }
    return e.kernel();
  }

  /**
   * The names a graph reads without defining them: inputs of its nodes (and of their subgraphs)
   * that are neither its inputs, its initializers nor outputs of its nodes.
   */
  static Set<String> freeNames(GraphProto graph) {
    Set<String> defined = new HashSet<>();
    graph.getInputList().forEach(v -> defined.add(v.getName()));
    graph.getInitializerList().forEach(t -> defined.add(t.getName()));
    graph.getNodeList().forEach(n -> n.getOutputList().forEach(defined::add));
    Set<String> free = new LinkedHashSet<>();
    for (NodeProto n : graph.getNodeList()) {
      for (String in : reads(n)) {
        if (!in.isEmpty() && !defined.contains(in)) {
          free.add(in);
        }
      }
    }
    return free;
  }

  /** What a node reads: its inputs, then the free names of its subgraphs. */
  static Set<String> reads(NodeProto node) {
    Set<String> r = new LinkedHashSet<>(node.getInputList());
    for (AttributeProto a : node.getAttributeList()) {
      if (a.hasG()) {
        r.addAll(freeNames(a.getG()));
      }
      for (GraphProto g : a.getGraphsList()) {
        r.addAll(freeNames(g));
      }
    }
    return r;
  }

  /**
   * The nodes in an order where every node follows the producers of what it reads (its subgraphs'
   * outer-scope reads included), keeping the graph's order among nodes that are ready together.
   */
  private static List<Integer> topologicalOrder(GraphProto graph, Set<String> outer) {
    Set<String> available = new HashSet<>(outer);
    graph.getInputList().forEach(v -> available.add(v.getName()));
    graph.getInitializerList().forEach(t -> available.add(t.getName()));
    Map<String, Integer> producer = new HashMap<>();
    List<NodeProto> all = graph.getNodeList();
    for (int i = 0; i < all.size(); i++) {
      for (String o : all.get(i).getOutputList()) {
        if (!o.isEmpty()) {
          if (producer.put(o, i) != null || (available.contains(o) && !outer.contains(o))) {
            throw new IllegalArgumentException("value '" + o + "' is produced more than once");
          }
        }
      }
    }
    int n = all.size();
    int[] pending = new int[n];
    List<List<Integer>> consumers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      consumers.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      Set<Integer> deps = new HashSet<>();
      for (String in : reads(all.get(i))) {
        if (in.isEmpty()) {
          continue;
        }
        Integer src = producer.get(in);
        if (src == null) {
          if (available.contains(in)) {
            continue;
          }
          String label = all.get(i).getName().isEmpty() ? "#" + i : all.get(i).getName();
          String role = all.get(i).getInputList().contains(in) ? "input '" + in + "' of node '"
              : "value '" + in + "', read by a subgraph of node '";
          throw new IllegalArgumentException(role + label + "' (" + all.get(i).getOpType()
              + "), is produced by no node and is neither a graph input nor an initializer"
              + (outer.isEmpty() ? "" : " nor a value of an enclosing graph"));
        }
        if (src != i && deps.add(src)) {
          consumers.get(src).add(i);
        }
      }
      pending[i] = deps.size();
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    List<Integer> order = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      int i = ready.poll();
      order.add(i);
      for (int c : consumers.get(i)) {
        if (--pending[c] == 0) {
          ready.add(c);
        }
      }
    }
    if (order.size() != n) {
      throw new IllegalArgumentException("the graph has a cycle among " + (n - order.size()) + " nodes");
    }
    return order;
  }
}

package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an ONNX model in pure Java and double precision: the oracle against which native
 * runtimes are judged. It needs no native code.
 *
 * <p>The graph is checked when the evaluator is built: every node must be an operator of the
 * default ONNX domain that this evaluator supports at the model's opset (see
 * {@link #supportedOps()}), and every node input must be produced by a node, a graph input or an
 * initializer. Nodes then run in topological order (the graph's own order where it is already
 * sorted). Optional inputs given as empty names, and trailing optional inputs left out, reach the
 * kernels as absent. Initializers that are also listed as graph inputs are defaults that a caller may
 * override.
 *
 * <p>Floating tensors are computed in double precision whatever their declared type; they are
 * rounded only by {@code Cast} and when encoded with {@link TensorProtos}. An instance is immutable
 * and thread-safe: {@link #run} keeps its state on the stack.
 */
public final class OnnxEvaluator {

  private final String modelName;
  private final int opset;
  private final List<Node> nodes;
  private final List<OpKernel> kernels;
  private final Map<String, Value> initializers;
  private final List<ValueInfoProto> inputs;
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final Set<String> overridable;

  /**
   * Prepares a model for evaluation.
   *
   * @throws UnsupportedOperationException when a node uses an operator (or a domain, or an opset)
   *     that is not supported; the message names the op and the node
   * @throws IllegalArgumentException when the graph is malformed (an input nobody produces, a cycle,
   *     an undecodable initializer)
   */
  public OnnxEvaluator(ModelProto model) {
    GraphProto graph = model.getGraph();
    this.modelName = graph.getName().isEmpty() ? "(unnamed graph)" : graph.getName();
    this.opset = defaultOpset(model);
    Map<String, Value> inits = new LinkedHashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      inits.put(t.getName(), TensorProtos.decode(t));
    }
    if (graph.getSparseInitializerCount() > 0) {
      throw new UnsupportedOperationException("sparse initializers are not supported");
    }
    this.initializers = Collections.unmodifiableMap(inits);
    List<ValueInfoProto> in = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (ValueInfoProto v : graph.getInputList()) {
      if (!inits.containsKey(v.getName())) {
        in.add(v);
        names.add(v.getName());
      }
    }
    this.inputs = List.copyOf(in);
    this.inputNames = List.copyOf(names);
    List<String> outs = new ArrayList<>();
    graph.getOutputList().forEach(v -> outs.add(v.getName()));
    this.outputNames = List.copyOf(outs);
    Set<String> over = new HashSet<>();
    graph.getInputList().forEach(v -> over.add(v.getName()));
    this.overridable = Collections.unmodifiableSet(over);

    List<Node> ns = new ArrayList<>();
    List<OpKernel> ks = new ArrayList<>();
    for (int i : topologicalOrder(graph)) {
      Node node = new Node(graph.getNode(i), i, opset);
      ns.add(node);
      ks.add(kernelFor(node));
    }
    this.nodes = List.copyOf(ns);
    this.kernels = List.copyOf(ks);
  }

  /**
   * Reads and prepares a model file.
   *
   * @throws IllegalArgumentException when the file is not a valid {@code ModelProto}, naming it
   * @throws UncheckedIOException when it cannot be read
   */
  public static OnnxEvaluator load(Path modelFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + modelFile, e);
    }
    try {
      return new OnnxEvaluator(ModelProto.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("file " + modelFile + " is not a valid ONNX model: " + e.getMessage(), e);
    }
  }

  /**
   * The operators this evaluator supports (default ONNX domain), each with the first opset version
   * it is supported at, sorted by name.
   */
  public static Map<String, Integer> supportedOps() {
    return OpRegistry.supported();
  }

  /** The model's opset version for the default ONNX domain. */
  public int opset() {
    return opset;
  }

  /** The graph inputs a caller must supply (those without an initializer), in graph order. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The graph outputs, in graph order. */
  public List<String> outputNames() {
    return outputNames;
  }

  /** The initializers, decoded, by name. */
  public Map<String, Value> initializers() {
    return initializers;
  }

  /**
   * Runs the graph.
   *
   * @param feeds a value for every name of {@link #inputNames()}, and optionally for initializers
   *     that are also graph inputs (overriding them)
   * @return every graph output by name, in graph order
   * @throws IllegalArgumentException when an input is missing, unknown, or of the wrong type or rank,
   *     or when a node rejects its inputs (the message names the node and its op)
   */
  public Map<String, Value> run(Map<String, Value> feeds) {
    Map<String, Value> env = new HashMap<>(initializers);
    for (Map.Entry<String, Value> e : feeds.entrySet()) {
      if (!overridable.contains(e.getKey())) {
        throw new IllegalArgumentException("Unknown input name " + e.getKey() + ", expected one of " + inputNames);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("input " + e.getKey() + " is null");
      }
      env.put(e.getKey(), e.getValue());
    }
    for (ValueInfoProto v : inputs) {
      Value given = feeds.get(v.getName());
      if (given == null) {
        throw new IllegalArgumentException("missing input " + v.getName() + "; model " + modelName + " needs "
            + inputNames);
      }
      checkDeclared(v, given);
    }
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      NodeProto p = node.proto();
      List<Value> args = new ArrayList<>(p.getInputCount());
      for (String name : p.getInputList()) {
        args.add(name.isEmpty() ? null : env.get(name));
      }
      List<Value> results;
      try {
        results = kernels.get(i).run(node, args);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where(node) + ": " + e.getMessage(), e);
      } catch (UnsupportedOperationException e) {
        throw new UnsupportedOperationException(where(node) + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new IllegalStateException(where(node) + " failed: " + e, e);
      }
      for (int k = 0; k < p.getOutputCount(); k++) {
        String name = p.getOutput(k);
        if (name.isEmpty()) {
          continue;
        }
        Value v = k < results.size() ? results.get(k) : null;
        if (v == null) {
          throw new IllegalArgumentException(where(node) + " does not produce output " + k + " (" + name + ")");
        }
        env.put(name, v);
      }
    }
    Map<String, Value> out = new LinkedHashMap<>();
    for (String name : outputNames) {
      Value v = env.get(name);
      if (v == null) {
        throw new IllegalArgumentException("graph output " + name + " is produced by no node");
      }
      out.put(name, v);
    }
    return out;
  }

  private static String where(Node node) {
    return "node '" + node.name() + "' (" + node.opType() + ", opset " + node.opset() + ")";
  }

  /** Checks a fed value against the graph input's declared element type and static dimensions. */
  private static void checkDeclared(ValueInfoProto info, Value v) {
    TypeProto t = info.getType();
    if (!t.hasTensorType()) {
      throw new UnsupportedOperationException("input " + info.getName() + " is not a tensor; only tensors are "
          + "supported");
    }
    TypeProto.Tensor tt = t.getTensorType();
    if (tt.getElemType() != 0 && tt.getElemType() != v.type().onnxCode()) {
      throw new IllegalArgumentException("input " + info.getName() + " must be of ONNX type " + tt.getElemType()
          + ", got " + v.type() + " (" + v.type().onnxCode() + ")");
    }
    if (tt.hasShape()) {
      TensorShapeProto s = tt.getShape();
      if (s.getDimCount() != v.rank()) {
        throw new IllegalArgumentException("input " + info.getName() + " must have rank " + s.getDimCount()
            + ", got shape " + Shapes.str(v.shapeRef()));
      }
      for (int i = 0; i < s.getDimCount(); i++) {
        TensorShapeProto.Dimension d = s.getDim(i);
        if (d.hasDimValue() && d.getDimValue() != v.dim(i)) {
          throw new IllegalArgumentException("input " + info.getName() + " must have dimension " + i + " = "
              + d.getDimValue() + ", got shape " + Shapes.str(v.shapeRef()));
        }
      }
    }
  }

  private static int defaultOpset(ModelProto model) {
    int version = -1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        version = (int) o.getVersion();
      }
    }
    if (version < 0) {
      // IR version 1/2 models carry no opset import for the default domain: opset 1
      version = 1;
    }
    return version;
  }

  private static OpKernel kernelFor(Node node) {
    NodeProto p = node.proto();
    String domain = p.getDomain();
    if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
      throw new UnsupportedOperationException("op '" + p.getOpType() + "' of domain '" + domain + "' in node '"
          + node.name() + "' is not supported: only the default ONNX domain is");
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
   * The nodes in an order where every node follows the producers of its inputs, keeping the
   * graph's order among nodes that are ready together.
   */
  private static List<Integer> topologicalOrder(GraphProto graph) {
    Set<String> available = new HashSet<>();
    graph.getInputList().forEach(v -> available.add(v.getName()));
    graph.getInitializerList().forEach(t -> available.add(t.getName()));
    Map<String, Integer> producer = new HashMap<>();
    List<NodeProto> all = graph.getNodeList();
    for (int i = 0; i < all.size(); i++) {
      for (String o : all.get(i).getOutputList()) {
        if (!o.isEmpty()) {
          if (producer.put(o, i) != null || available.contains(o)) {
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
      for (String in : all.get(i).getInputList()) {
        if (in.isEmpty() || available.contains(in)) {
          continue;
        }
        Integer src = producer.get(in);
        if (src == null) {
          String label = all.get(i).getName().isEmpty() ? "#" + i : all.get(i).getName();
          throw new IllegalArgumentException("input '" + in + "' of node '" + label + "' (" + all.get(i).getOpType()
              + ") is produced by no node and is neither a graph input nor an initializer");
        }
        if (deps.add(src)) {
          consumers.get(src).add(i);
        }
      }
      pending[i] = deps.size();
    }
    java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
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

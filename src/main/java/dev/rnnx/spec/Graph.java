package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directed acyclic graph of layers, Keras's functional {@code Model} whose layers do not form a
 * chain: several named {@link GraphInput}s, {@link GraphNode}s (a layer of any existing kind on one
 * tensor, cross-attention on {@code [query, value]}, or a {@link GraphMerge} of several tensors)
 * listed so that each reads only inputs and earlier nodes, and several outputs, each a node's
 * output named as the node. It has one form, {@code model}, whose inputs are the graph inputs and
 * whose outputs are the output nodes, in order.
 *
 * <p>Parameters are named as in a {@link Sequential} model, by layer ({@code <layer>/kernel},
 * {@code <layer>/W}, …); a cross-attention layer's kernels take the query's width and the value's
 * ({@link MultiHeadAttention#projections}, {@link Attention#scoreParameters}); its output has the
 * query's steps, and the query's width (multi-head) or the value's (attention). Graph inputs have
 * no lengths; an input may be masked (Keras's {@code Masking} or {@code Embedding(mask_zero=True)}),
 * and the recurrent layers reading its mask skip the masked steps as in Keras ({@link GraphMasks});
 * other recurrent layers read every step. Cross-attention attends to every value step and may not
 * be causal. A {@link Flatten} fixes the time axis of the input its sequence comes from.
 *
 * @param name model name
 * @param inputs the graph inputs, in order
 * @param nodes the nodes, each after the nodes it reads
 * @param outputs the names of the nodes whose outputs are the model's, in order
 */
public record Graph(String name, List<GraphInput> inputs, List<GraphNode> nodes, List<String> outputs) implements ModelSpec {

  /** Recipe kind. */
  public static final String KIND = "graph";

  /** Validates names, the order of the nodes, what each reads and the shapes. */
  public Graph {
    Layer.checkName(name);
    inputs = List.copyOf(inputs);
    nodes = List.copyOf(nodes);
    outputs = List.copyOf(outputs);
    if (inputs.isEmpty() || nodes.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("graph model '" + name + "' needs at least one input, one node and one output");
    }
    shapes(name, inputs, nodes);
    Map<String, Boolean> isNode = new HashMap<>();
    nodes.forEach(n -> isNode.put(n.name(), true));
    for (String out : outputs) {
      if (!isNode.containsKey(out)) {
        throw new IllegalArgumentException("graph model '" + name + "': output '" + out + "' is not a node, expected one of "
            + nodes.stream().map(GraphNode::name).toList());
      }
    }
    if (outputs.stream().distinct().count() != outputs.size()) {
      throw new IllegalArgumentException("graph model '" + name + "': outputs " + outputs + " name a node twice");
    }
    GraphMasks.of(name, inputs, nodes, outputs);
    fixedSteps(name, inputs, nodes);
    checkCalls(name, nodes);
  }

  /** Every later call of a shared layer follows the node named as the layer, holding the same layer. */
  private static void checkCalls(String model, List<GraphNode> nodes) {
    Map<String, GraphNode> first = new HashMap<>();
    for (GraphNode n : nodes) {
      if (n.layer() == null) {
        continue;
      }
      if (!n.call()) {
        first.put(n.name(), n);
        continue;
      }
      GraphNode owner = first.get(n.layer().name());
      if (owner == null || !owner.layer().equals(n.layer())) {
        throw new IllegalArgumentException("graph model '" + model + "': node '" + n.name() + "' calls layer '" + n.layer().name()
            + "', which " + (owner == null ? "no earlier node named as the layer holds" : "an earlier node holds configured otherwise")
            + "; expected the shared layer's first call before it");
      }
    }
  }

  /**
   * The fixed time length of each input that a {@link Flatten} fixes (the input its sequence's time
   * axis comes from), refusing two flattens that fix one input to different lengths.
   */
  private static Map<String, Integer> fixedSteps(String model, List<GraphInput> inputs, List<GraphNode> nodes) {
    Map<String, String> sources = new HashMap<>();
    inputs.forEach(i -> sources.put(i.name(), i.name()));
    Map<String, Integer> steps = new LinkedHashMap<>();
    Map<String, String> by = new HashMap<>();
    for (GraphNode n : nodes) {
      String source = sources.get(n.inputs().get(0));
      sources.put(n.name(), source);
      if (n.layer() instanceof Flatten f) {
        Integer before = steps.putIfAbsent(source, f.steps());
        if (before != null && before != f.steps()) {
          throw new IllegalArgumentException("graph model '" + model + "': flatten '" + f.name() + "' fixes input '" + source + "' at "
              + f.steps() + " steps, but flatten '" + by.get(source) + "' at " + before + "; expected one length per input");
        }
        by.putIfAbsent(source, f.name());
      }
    }
    return steps;
  }

  /**
   * An input's tensor as the form declares it: {@link GraphInput#tensor()}, with the time axis
   * fixed where a {@link Flatten} reads a sequence of that input.
   */
  public TensorSpec inputTensor(GraphInput in) {
    TensorSpec s = in.tensor();
    Integer steps = fixedSteps(name, inputs, nodes).get(in.name());
    if (steps == null) {
      return s;
    }
    int[] dims = s.shape().dims();
    dims[1] = steps;
    return new TensorSpec(s.name(), new Shape(dims), s.dtype());
  }

  /** How masked inputs flow through the nodes ({@link GraphMasks}): each node's mode, compactions and restorations. */
  public GraphMasks masks() {
    return GraphMasks.of(name, inputs, nodes, outputs);
  }

  /** The shape of every tensor (inputs, then nodes), checking the graph on the way. */
  private static Map<String, Shape> shapes(String model, List<GraphInput> inputs, List<GraphNode> nodes) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    Map<String, Boolean> tokens = new HashMap<>();
    for (GraphInput in : inputs) {
      if (shapes.put(in.name(), in.input().shape()) != null) {
        throw new IllegalArgumentException("graph model '" + model + "': name '" + in.name() + "' is used twice, expected unique names");
      }
      tokens.put(in.name(), in.input().tokens());
    }
    for (GraphNode node : nodes) {
      if (shapes.containsKey(node.name())) {
        throw new IllegalArgumentException("graph model '" + model + "': name '" + node.name() + "' is used twice, expected unique names");
      }
      List<Shape> read = new ArrayList<>();
      for (String t : node.inputs()) {
        Shape s = shapes.get(t);
        if (s == null) {
          throw new IllegalArgumentException("graph model '" + model + "': node '" + node.name() + "' reads '" + t
              + "', which is neither an input nor an earlier node (a cycle or an unknown name); known: " + shapes.keySet());
        }
        boolean token = tokens.getOrDefault(t, false);
        if (token != (node.layer() instanceof Embedding)) {
          throw new IllegalArgumentException("graph model '" + model + "': node '" + node.name() + "' (" + node.kind() + ") reads '"
              + t + "'; " + (token ? "token ids are read only by an embedding" : "an embedding reads a token input"));
        }
        read.add(s);
      }
      shapes.put(node.name(), node.outputShape(model, read));
    }
    return shapes;
  }

  /** The shape of every tensor by name: the inputs', then each node's output. */
  public Map<String, Shape> tensorShapes() {
    return shapes(name, inputs, nodes);
  }

  /**
   * The graph input whose time axis each tensor carries, by tensor name: an input's own, and a
   * node's first input's (a query's, for cross-attention). Tensors without a time axis inherit it
   * too; only sequences read it.
   */
  public Map<String, String> timeSources() {
    Map<String, String> sources = new LinkedHashMap<>();
    inputs.forEach(i -> sources.put(i.name(), i.name()));
    nodes.forEach(n -> sources.put(n.name(), sources.get(n.inputs().get(0))));
    return sources;
  }

  /** One graph input by name, or null. */
  public GraphInput input(String tensor) {
    return inputs.stream().filter(i -> i.name().equals(tensor)).findFirst().orElse(null);
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Every trainable parameter, node by node, named by layer. */
  @Override
  public List<ParameterSpec> parameters() {
    Map<String, Shape> shapes = tensorShapes();
    List<ParameterSpec> params = new ArrayList<>();
    for (GraphNode node : nodes) {
      List<ParameterSpec> own = node.parameters(node.inputs().stream().map(shapes::get).toList());
      if (!node.call()) {
        params.addAll(own);
      } else if (!params.containsAll(own)) { // a shared layer's later call: the same parameters, of the same shapes
        throw new IllegalArgumentException("graph model '" + name + "': node '" + node.name() + "' calls layer '" + node.layer().name()
            + "' on inputs that give it parameters " + own + ", expected the first call's");
      }
    }
    return params;
  }

  /** The form's outputs: each output node's tensor, named as the node. */
  public List<TensorSpec> outputTensors() {
    Map<String, Shape> shapes = tensorShapes();
    return outputs.stream().map(o -> new TensorSpec(o, shapes.get(o))).toList();
  }

  /**
   * What the inputs must satisfy: each float32 {@code [batch, time_<name>, features]} or int64
   * {@code [batch, time_<name>]} ids inside the vocabulary of every embedding that reads it; one
   * batch size across inputs.
   */
  public InputContract contract() {
    List<InputContract.Input> in = new ArrayList<>();
    for (GraphInput gi : inputs) {
      TensorSpec s = inputTensor(gi);
      InputContract.Input i = new InputContract.Input(s.name(), s.dtype(), InputContract.axes(s.shape(), "batch", gi.timeAxis()));
      if (gi.input().tokens()) {
        Embedding smallest = null;
        for (GraphNode n : nodes) {
          if (n.layer() instanceof Embedding e && n.inputs().contains(gi.name())
              && (smallest == null || e.inputDim() < smallest.inputDim())) {
            smallest = e;
          }
        }
        if (smallest != null) {
          i = i.with(new InputContract.Ids(smallest.inputDim(), "token ids of embedding '" + smallest.name() + "'"));
        }
      }
      in.add(i);
    }
    return new InputContract(in);
  }

  @Override
  public List<ModelForm> forms() {
    return List.of(new ModelForm(ModelForm.MODEL, inputs.stream().map(this::inputTensor).toList(), outputTensors(), contract()));
  }
}

package dev.rnnx.spec;

import java.util.List;

/**
 * One node of a {@link Graph}: a layer of any existing kind applied to named tensors, or a merge
 * of several. A layer node reads one tensor, except a cross-attention node: a {@link
 * MultiHeadAttention} or {@link Attention} reading {@code [query, value]} (the keys are the
 * values, as in Keras when {@code key} is not given) or {@code [query, value, key]} (a separate
 * key tensor, as long as the value). The node's output tensor is named as the node.
 *
 * <p>A layer called more than once (Keras's shared layers) is one node per call: the first named as
 * the layer, each later one (a {@link #call()}) under its own name, holding the same layer and
 * sharing its parameters ({@link #sharedParameters}).
 *
 * @param name the node's name, unique in its graph (a layer node's is its layer's name, except for a later call)
 * @param layer the layer, or null for a merge node
 * @param merge the merge, or null for a layer node
 * @param inputs the names of the tensors it reads: graph inputs or earlier nodes
 */
public record GraphNode(String name, Layer layer, GraphMerge merge, List<String> inputs) {

  /** Validates that the node is a layer or a merge, and its input count. */
  public GraphNode {
    Layer.checkName(name);
    if ((layer == null) == (merge == null)) {
      throw new IllegalArgumentException("graph node '" + name + "' must be either a layer or a merge");
    }
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("graph node '" + name + "' reads no tensor, expected at least one input");
    }
    inputs = List.copyOf(inputs);
    if (layer != null && inputs.size() > 1 && !cross(layer, inputs)) {
      throw new IllegalArgumentException("graph node '" + name + "' (" + layer.kind() + ") reads " + inputs.size()
          + " tensors " + inputs + "; a layer reads one tensor, only multi_head_attention and attention read [query, value]"
          + " or [query, value, key]");
    }
  }

  private static boolean cross(Layer layer, List<String> inputs) {
    return (inputs.size() == 2 || inputs.size() == 3) && (layer instanceof MultiHeadAttention || layer instanceof Attention);
  }

  /** Whether this node is a later call of a layer that an earlier node named as the layer holds (a shared layer). */
  public boolean call() {
    return layer != null && !layer.name().equals(name);
  }

  /**
   * The layer as this node computes it: its own layer, or for a {@link #call()} the same layer
   * renamed to the node, so that every name a backend derives from it is the node's.
   */
  public Layer callLayer() {
    return call() ? LayerCodec.renamed(layer, name) : layer;
  }

  /**
   * For a {@link #call()}, the parameter names of {@link #callLayer()} mapped to the shared layer's
   * (in order); empty for any other node.
   */
  public java.util.Map<String, String> sharedParameters(List<Shape> read) {
    java.util.Map<String, String> shared = new java.util.LinkedHashMap<>();
    if (call()) {
      List<ParameterSpec> own = new GraphNode(name, callLayer(), null, inputs).parameters(read);
      List<ParameterSpec> original = parameters(read);
      for (int i = 0; i < own.size(); i++) {
        shared.put(own.get(i).name(), original.get(i).name());
      }
    }
    return shared;
  }

  /** A layer node. */
  public static GraphNode of(Layer layer, String... inputs) {
    return new GraphNode(layer.name(), layer, null, List.of(inputs));
  }

  /** A merge node. */
  public static GraphNode merge(String name, GraphMerge merge, String... inputs) {
    return new GraphNode(name, null, merge, List.of(inputs));
  }

  /** Whether this is an attention node whose query and value are different tensors (or that reads a separate key). */
  public boolean crossAttention() {
    return layer != null && inputs.size() >= 2;
  }

  /** The tensor a cross-attention node's keys come from: its third input, else its value. */
  public String keyInput() {
    return inputs.get(inputs.size() == 3 ? 2 : 1);
  }

  /** The kind as written in recipes: the layer's kind or the merge's name. */
  public String kind() {
    return layer != null ? layer.kind() : merge.recipeName();
  }

  /**
   * The shape of this node's output for the shapes of the tensors it reads.
   *
   * @param model the model's name, for messages
   * @throws IllegalArgumentException naming the model and the node when the node cannot take them
   */
  public Shape outputShape(String model, List<Shape> read) {
    GraphNode node = this;
    if (node.merge() != null) {
      return node.merge().outputShape(node.name(), read);
    }
    Layer layer = node.layer();
    if (!layer.stateInputNames().isEmpty() || layer.outputNames().size() > 1) {
      throw new IllegalArgumentException("graph model '" + model + "': layer '" + layer.name() + "' ("
          + layer.kind() + ") takes or returns states, which graph models do not support yet");
    }
    if (!node.crossAttention()) {
      return layer.outputShapes(read.get(0)).get(0);
    }
    Shape q = read.get(0);
    Shape v = read.get(1);
    Shape k = read.get(read.size() == 3 ? 2 : 1);
    Layer.checkSequence(layer.name(), q);
    Layer.checkSequence(layer.name(), v);
    Layer.checkSequence(layer.name(), k);
    if (layer instanceof MultiHeadAttention) { // causal: query step i sees key steps j ≤ i (Keras's [Tq, Tk] lower triangle)
      return q;
    }
    Attention a = (Attention) layer;
    if (a.score() != AttentionScore.ADDITIVE && a.score() != AttentionScore.GENERAL && q.dim(-1) != k.dim(-1)) {
      throw new IllegalArgumentException("graph model '" + model + "': attention '" + layer.name() + "' (score "
          + a.score().recipeName() + ") reads a query of width " + q.dim(-1) + " and " + (read.size() == 3 ? "a key" : "a value")
          + " of width " + k.dim(-1) + ", expected equal widths");
    }
    return q.withLast(v.dim(-1));
  }


  /**
   * This node's parameters for the shapes of the tensors it reads: its layer's, or a
   * cross-attention's over the query's and the value's widths; none for a merge.
   */
  public List<ParameterSpec> parameters(List<Shape> read) {
    if (layer == null) {
      return List.of();
    }
    if (!crossAttention()) {
      return layer.parameters(read.get(0));
    }
    int dq = read.get(0).dim(-1);
    int dv = read.get(1).dim(-1);
    int dk = read.get(read.size() == 3 ? 2 : 1).dim(-1);
    if (layer instanceof MultiHeadAttention m) { // key projections over the key's width, value projections over the value's
      List<ParameterSpec> byKey = MultiHeadAttention.projections(m.name(), m.heads(), m.keyDim(), dq, dk);
      List<ParameterSpec> byValue = MultiHeadAttention.projections(m.name(), m.heads(), m.keyDim(), dq, dv);
      return java.util.stream.IntStream.range(0, byKey.size())
          .mapToObj(i -> byKey.get(i).name().contains("/value/") ? byValue.get(i) : byKey.get(i)).toList();
    }
    Attention a = (Attention) layer;
    return Attention.scoreParameters(a.name(), a.score(), a.units(), dq, dk);
  }
}

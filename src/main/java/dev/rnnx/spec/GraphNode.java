package dev.rnnx.spec;

import java.util.List;

/**
 * One node of a {@link Graph}: a layer of any existing kind applied to named tensors, or a merge
 * of several. A layer node reads one tensor, except a cross-attention node: a {@link
 * MultiHeadAttention} or {@link Attention} reading {@code [query, value]} (the keys are the
 * values, as in Keras when {@code key} is not given). The node's output tensor is named as the node.
 *
 * @param name the node's name, unique in its graph (a layer node's is its layer's name)
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
    if (layer != null && !layer.name().equals(name)) {
      throw new IllegalArgumentException("graph node '" + name + "' holds layer '" + layer.name() + "', expected the same name");
    }
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException("graph node '" + name + "' reads no tensor, expected at least one input");
    }
    inputs = List.copyOf(inputs);
    if (layer != null && inputs.size() > 1 && !cross(layer, inputs)) {
      throw new IllegalArgumentException("graph node '" + name + "' (" + layer.kind() + ") reads " + inputs.size()
          + " tensors " + inputs + "; a layer reads one tensor, only multi_head_attention and attention read [query, value]");
    }
  }

  private static boolean cross(Layer layer, List<String> inputs) {
    return inputs.size() == 2 && (layer instanceof MultiHeadAttention || layer instanceof Attention);
  }

  /** A layer node. */
  public static GraphNode of(Layer layer, String... inputs) {
    return new GraphNode(layer.name(), layer, null, List.of(inputs));
  }

  /** A merge node. */
  public static GraphNode merge(String name, GraphMerge merge, String... inputs) {
    return new GraphNode(name, null, merge, List.of(inputs));
  }

  /** Whether this is an attention node whose query and value are different tensors. */
  public boolean crossAttention() {
    return layer != null && inputs.size() == 2;
  }

  /** The kind as written in recipes: the layer's kind or the merge's name. */
  public String kind() {
    return layer != null ? layer.kind() : merge.recipeName();
  }
}

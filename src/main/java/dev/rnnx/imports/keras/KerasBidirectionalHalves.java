package dev.rnnx.imports.keras;

import dev.rnnx.imports.ImportException;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two outputs of a {@code Bidirectional(merge_mode=None)} in a graph. The layer is imported as
 * one {@code bidirectional} node with merge mode {@code concat} (Keras's {@code [y, y_rev]}, the
 * forward output first), and each output a layer or the model reads becomes, the first time it is
 * read, a merge node taking one half of that concat: {@code <node>_forward} ({@link
 * GraphMerge#FIRST_HALF}, Keras's tensor 0) and {@code <node>_backward} ({@link
 * GraphMerge#SECOND_HALF}, tensor 1). So the outputs can be the model's outputs, be read by
 * different layers, or be concatenated in either order.
 */
final class KerasBidirectionalHalves {

  private final List<GraphNode> nodes;
  private final Map<String, Shape> shapes;
  private final Map<String, String> timeSource;
  private final Map<String, String> split = new HashMap<>(); // a Bidirectional(None) call's key -> its concat node

  /** Adds half nodes to {@code nodes}, with their shapes and time sources, as the graph import reads them. */
  KerasBidirectionalHalves(List<GraphNode> nodes, Map<String, Shape> shapes, Map<String, String> timeSource) {
    this.nodes = nodes;
    this.shapes = shapes;
    this.timeSource = timeSource;
  }

  /** Records that the call {@code key} of a {@code Bidirectional(merge_mode=None)} is the concat node {@code node}. */
  void split(String key, String node) {
    split.put(key, node);
  }

  /** Whether a tensor key is an output of a split {@code Bidirectional}. */
  boolean isSplit(String tensor) {
    return split.containsKey(base(tensor));
  }

  /**
   * The tensor a key names: a half node of a split {@code Bidirectional} (added when first read),
   * or the alias of any other layer's output.
   *
   * @param reader the layer reading it, for messages (null: the model's outputs)
   * @throws ImportException naming the layer when the key names an output no layer gives
   */
  String read(KerasLayers mapper, KerasLayerConfig reader, String tensor, Map<String, String> alias) {
    String concat = split.get(base(tensor));
    if (concat == null) {
      String t = alias.get(tensor);
      if (t == null) {
        String what = "reads output " + tensor.replace('#', ' ') + ", which rnnx does not import (a layer's output other than"
            + " its first, or a tensor no layer defines)";
        throw reader == null ? new ImportException(mapper.source() + ": the model " + what) : mapper.refuse(reader, what);
      }
      return t;
    }
    int index = tensor.contains("#") ? Integer.parseInt(tensor.substring(tensor.indexOf('#') + 1)) : 0;
    if (index > 1) {
      String what = "reads output " + index + " of Bidirectional '" + base(tensor) + "', which has two (forward 0, backward 1)";
      throw reader == null ? new ImportException(mapper.source() + ": the model " + what) : mapper.refuse(reader, what);
    }
    String name = concat + (index == 0 ? "_forward" : "_backward");
    if (nodes.stream().noneMatch(n -> n.name().equals(name))) {
      GraphNode half = GraphNode.merge(name, index == 0 ? GraphMerge.FIRST_HALF : GraphMerge.SECOND_HALF, concat);
      nodes.add(half);
      shapes.put(name, half.outputShape(name, List.of(shapes.get(concat))));
      timeSource.put(name, timeSource.get(concat));
    }
    return name;
  }

  private static String base(String tensor) {
    int hash = tensor.indexOf('#');
    return hash < 0 ? tensor : tensor.substring(0, hash);
  }
}

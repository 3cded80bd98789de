package dev.rnnx.tf;

import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphMasks;
import dev.rnnx.spec.GraphNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Keras masking in a {@link Graph}'s TensorFlow graph, as {@link GraphMasks} plans it: each masked
 * input compacted once ({@link MaskCompaction}), the nodes that run on compacted steps built with
 * a context carrying that input's lengths, and each recurrent reader's output restored to the
 * original steps where something reads it so.
 */
final class GraphMaskFlow {

  /** Builds one node's output from the tensors it reads, in a context. */
  @FunctionalInterface
  interface NodeBuild {
    Operand<?> build(LayerContext ctx, GraphNode node, List<Operand<?>> read);
  }

  private final GraphMasks masks;
  private final LayerContext plain;
  private final Map<String, MaskCompaction> compactions = new HashMap<>();
  private final Map<String, LayerContext> contexts = new HashMap<>();
  private final Map<String, Operand<?>> compact = new HashMap<>();
  private final Map<String, dev.rnnx.spec.Shape> shapes;

  /**
   * @param plain the context of nodes on original steps (no lengths)
   * @param inputs the graph's placeholders by input name
   */
  GraphMaskFlow(Graph model, LayerContext plain, TfParameters params, Map<String, Operand<?>> inputs) {
    this.masks = model.masks();
    this.plain = plain;
    this.shapes = model.tensorShapes();
    for (GraphInput in : model.inputs()) {
      if (masks.compacted(in.name())) {
        MaskCompaction c = MaskCompaction.of(plain.tf(), inputs.get(in.name()), in.input());
        compactions.put(in.name(), c);
        contexts.put(in.name(), LayerContext.serving(plain.graph(), plain.tf(), params, c.lengths(), Map.of()));
        compact.put(in.name(), c.x());
      }
    }
  }

  /** Builds {@code node} into {@code values} (original steps) or into the compacted values, as planned. */
  void apply(GraphNode node, Map<String, Operand<?>> values, NodeBuild build) {
    String source = masks.source(node.name());
    switch (masks.mode(node.name())) {
      case PLAIN -> values.put(node.name(), build.build(plain, node, node.inputs().stream().map(values::get).toList()));
      case COMPACT -> compact.put(node.name(), build.build(contexts.get(source), node, node.inputs().stream().map(compact::get).toList()));
      case READER -> {
        Operand<?> raw = build.build(contexts.get(source), node, List.of(compact.get(node.inputs().get(0))));
        if (masks.compacted(node.name())) {
          compact.put(node.name(), raw);
        }
        if (masks.restored(node.name())) {
          Operand<TFloat32> y = raw.asOutput().expect(TFloat32.class);
          values.put(node.name(), compactions.get(source).restore(plain.tf(), y, shapes.get(node.name()).rank(), node.layer()));
        }
      }
    }
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.Shape;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A {@link Graph} model's training forward, unrolled: every node in order, each layer through its
 * kind's unrolled builder ({@link TfLayers}) in the context of the graph input whose time axis it
 * carries ({@link Graph#timeSources}: each input has its own fixed number of steps), cross-attention
 * through the attention ops on whole {@code [B, T, d]} tensors with separate queries and values,
 * and merges as in serving ({@link TfGraphModel}). An output that is a sigmoid or softmax dense map
 * also gives its logits, for numerically stable cross-entropies.
 */
final class GraphForward {

  /**
   * One output of the forward.
   *
   * @param value the output
   * @param logits its pre-activation values (a sigmoid or softmax dense output), or null
   * @param activation the dense activation of the output, or null for another kind of layer or a merge
   */
  record Output(Operand<TFloat32> value, Operand<TFloat32> logits, dev.rnnx.spec.Activation activation) {}

  private GraphForward() {}

  /**
   * The outputs of {@code model} by name, in the model's order.
   *
   * @param contexts one context per graph input, unrolled over that input's steps, on the parameters
   *     {@link #sharing} gives
   * @param inputs each graph input's value by name (float steps or token ids)
   */
  static Map<String, Output> outputs(Ops tf, Graph model, Map<String, LayerContext> contexts, Map<String, Unrolled> inputs) {
    Map<String, Shape> shapes = model.tensorShapes();
    Map<String, String> timeSources = model.timeSources();

    Map<String, Unrolled> values = new HashMap<>(inputs);
    Map<String, Operand<TFloat32>> logits = new HashMap<>();
    for (GraphNode node : model.nodes()) {
      LayerContext ctx = contexts.get(timeSources.get(node.name()));
      List<Unrolled> read = node.inputs().stream().map(values::get).toList();
      Shape first = shapes.get(node.inputs().get(0));
      Unrolled out;
      if (node.merge() != null) {
        out = merge(tf, node.merge(), read);
      } else if (node.crossAttention()) { // keys apart from values and causal masks as in serving
        Operand<TFloat32> y = TfGraphModel.crossAttention(tf, ctx, node, read.stream().map(r -> r.tensor(tf)).toList(), shapes);
        out = Unrolled.sequence(y, read.get(0).length());
      } else {
        Dense dense = model.outputs().contains(node.name()) ? TfForward.classifier(node.callLayer()) : null;
        if (dense != null) {
          Unrolled z = DenseBuilder.apply(ctx, dense, first, read.get(0), false);
          Operand<TFloat32> zt = z.sequence() ? z.tensor(tf) : z.value();
          logits.put(node.name(), zt);
          Operand<TFloat32> p = TfActivations.apply(tf, dense.activation(), zt);
          out = z.sequence() ? Unrolled.sequence(p, z.length()) : Unrolled.single(p);
        } else {
          out = TfLayers.builder(node.kind()).unrolled(ctx, node.callLayer(), first, read.get(0)).get(0);
        }
      }
      values.put(node.name(), out);
    }
    Map<String, Output> outputs = new LinkedHashMap<>();
    for (String name : model.outputs()) {
      GraphNode node = model.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
      Unrolled u = values.get(name);
      dev.rnnx.spec.Activation act = node.layer() == null ? null : node.layer().denseMap().map(Dense::activation).orElse(null);
      outputs.put(name, new Output(u.sequence() ? u.tensor(tf) : u.value(), logits.get(name), act));
    }
    return outputs;
  }

  /**
   * The model's parameters as its nodes read them: a shared layer's later call ({@link GraphNode#callLayer()})
   * reads the shared layer's variables under its own names, so that both calls train the same variables.
   */
  static TfParameters sharing(Graph model, TfParameters parameters) {
    Map<String, Shape> shapes = model.tensorShapes();
    Map<String, String> shared = new HashMap<>();
    for (GraphNode node : model.nodes()) {
      shared.putAll(node.sharedParameters(node.inputs().stream().map(shapes::get).toList()));
    }
    return shared.isEmpty() ? parameters : name -> parameters.get(shared.getOrDefault(name, name));
  }

  private static Unrolled merge(Ops tf, GraphMerge merge, List<Unrolled> xs) {
    boolean sequence = xs.get(0).sequence();
    List<Operand<TFloat32>> ts = xs.stream().map(x -> sequence ? x.tensor(tf) : x.value()).toList();
    Operand<TFloat32> y = TfGraphModel.merge(tf, merge, ts);
    return sequence ? Unrolled.sequence(y, xs.get(0).length()) : Unrolled.single(y);
  }
}

package dev.rnnx.onnx;

import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link Embedding} as {@code Gather(embeddings, ids, axis=0)}: int64 ids {@code [batch, time]}
 * pick rows of {@code <name>/embeddings [input_dim, output_dim]}, giving
 * {@code [batch, time, output_dim]}. Ids outside {@code [0, input_dim)} are refused by the callers
 * ({@code spec.InputContract}) before any runtime sees them.
 */
final class EmbeddingConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights,
      GraphBuilder graph) {
    Embedding e = (Embedding) layer;
    String table = graph.initializer(e.name() + "/embeddings", weights.get(e.name() + "/embeddings"));
    graph.node("Gather", e.name() + "/Gather", List.of(table, input), List.of(outputs.get(0)),
        Attributes.integer("axis", 0));
  }
}

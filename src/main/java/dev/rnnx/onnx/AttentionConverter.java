package dev.rnnx.onnx;

import dev.rnnx.spec.Attention;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link Attention} (self-attention, query = key = value = x {@code [B, T, d]}) with standard ops:
 * the score function's subgraph ({@link AttentionOps#scores}) → {@code Where(mask, scores, −∞)}
 * → {@code Softmax} over the keys → {@code MatMul} with x. The mask hides keys past each length
 * (models with lengths) and, when causal, keys after the query ({@link AttentionMask}); query
 * steps past the length are computed like any other.
 */
final class AttentionConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    Attention a = (Attention) layer;
    String n = a.name();
    String scores = AttentionOps.scores(graph, n, a.score(), input, input, inputShape.dim(-1), n, weights);
    String attention = AttentionOps.maskedSoftmax(graph, n, scores, graph.selfAttentionMask(a.causal()).forScores(3), 3);
    graph.node("MatMul", n + "/context_MatMul", List.of(attention, input), List.of(outputs.get(0)));
  }
}

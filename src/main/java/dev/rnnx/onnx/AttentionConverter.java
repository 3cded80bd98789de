package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Attention} (self-attention, query = key = value = x {@code [B, T, d]}).
 *
 * <p>Standard ops (every opset from 11): the score function's subgraph
 * ({@link AttentionOps#scores}) → {@code Where(mask, scores, −∞)} → {@code Softmax} over the keys
 * → {@code MatMul} with x. The mask hides keys past each length (models with lengths) and, when
 * causal, keys after the query ({@link AttentionMask}); query steps past the length are computed
 * like any other.
 *
 * <p>From opset 23 the scores ONNX's {@code Attention} computes — one head, Q·Kᵀ·scale — are
 * written as ONE {@code Attention} node: {@code dot} (Q = x, scale 1), {@code scaled_dot} (Q = x,
 * the default scale 1/√d) and {@code general} (Q = x·kernel, scale 1), with K = V = x and the mask
 * as {@code is_causal} or a {@code [B, 1, T, T]} bool {@code attn_mask}. The additive score has no
 * such form and stays standard ops.
 */
final class AttentionConverter implements LayerConverter {

  private final boolean attentionOp;

  AttentionConverter(boolean attentionOp) {
    this.attentionOp = attentionOp;
  }

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    Attention a = (Attention) layer;
    String n = a.name();
    AttentionMask mask = graph.selfAttentionMask(a.causal());
    if (attentionOp && a.score() != AttentionScore.ADDITIVE) {
      String query = input;
      if (a.score() == AttentionScore.GENERAL) {
        query = n + "/query";
        graph.node("MatMul", n + "/query_MatMul", List.of(input, graph.initializer(n + "/kernel", weights.get(n + "/kernel"))),
            List.of(query));
      }
      List<String> inputs = new ArrayList<>(List.of(query, input, input));
      List<OnnxMl.AttributeProto> attributes = new ArrayList<>(List.of(Attributes.integer("q_num_heads", 1),
          Attributes.integer("kv_num_heads", 1)));
      if (a.score() != AttentionScore.SCALED_DOT) {
        attributes.add(Attributes.real("scale", 1f));
      }
      if (mask.causalOnly()) {
        attributes.add(Attributes.integer("is_causal", 1));
      } else if (!mask.none()) {
        inputs.add(mask.full());
      }
      graph.node("Attention", n + "/Attention", inputs, List.of(outputs.get(0)),
          attributes.toArray(OnnxMl.AttributeProto[]::new));
      return;
    }
    String scores = AttentionOps.scores(graph, n, a.score(), input, input, inputShape.dim(-1), n, weights);
    String attention = AttentionOps.maskedSoftmax(graph, n, scores, mask.forScores(3), 3);
    graph.node("MatMul", n + "/context_MatMul", List.of(attention, input), List.of(outputs.get(0)));
  }
}

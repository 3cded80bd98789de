package dev.rnnx.onnx;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link MultiHeadAttention} (self-attention) through {@link AttentionOps#multiHead}: standard
 * ops below opset 23, ONE ONNX {@code Attention} node from 23 (two registrations in
 * {@link OnnxConverters}). The mask is the model's padding mask, plus causality when asked.
 */
final class MultiHeadAttentionConverter implements LayerConverter {

  private final boolean attentionOp;

  MultiHeadAttentionConverter(boolean attentionOp) {
    this.attentionOp = attentionOp;
  }

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    MultiHeadAttention m = (MultiHeadAttention) layer;
    AttentionOps.multiHead(graph, m.name(), m.name(), input, input, m.heads(), m.keyDim(), graph.selfAttentionMask(m.causal()),
        weights, outputs.get(0), attentionOp);
  }
}

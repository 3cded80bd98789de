package dev.rnnx.onnx;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link TransformerEncoder}: one post-norm or pre-norm encoder block ({@link TransformerOps#encoderBlock}),
 * self-attention with the model's padding mask (and causality when asked), key width
 * {@code d / heads}; its multi-head attention is standard ops below opset 23 and ONE ONNX
 * {@code Attention} node from 23. Needs opset 17 ({@code LayerNormalization}).
 */
final class TransformerEncoderConverter implements LayerConverter {

  private final boolean attentionOp;

  TransformerEncoderConverter(boolean attentionOp) {
    this.attentionOp = attentionOp;
  }

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    TransformerEncoder t = (TransformerEncoder) layer;
    TransformerOps.requireLayerNormalization(graph, "layer '" + t.name() + "' (transformer_encoder)");
    TransformerOps.encoderBlock(graph, t.name(), t.name(), input, inputShape.dim(-1), t.heads(), t.epsilon(), t.normFirst(),
        t.activation(), graph.selfAttentionMask(t.causal()), attentionOp, weights, outputs.get(0));
  }
}

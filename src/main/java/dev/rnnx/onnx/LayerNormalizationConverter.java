package dev.rnnx.onnx;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link LayerNormalization} as ONE ONNX {@code LayerNormalization} node over the last axis
 * (opset 17): {@code gamma} is its Scale (ones when the layer has no scale), {@code beta} its B
 * (left out without center), epsilon written as float32. Below opset 17 the export is refused,
 * naming the layer, the op and opset 17.
 */
final class LayerNormalizationConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    LayerNormalization ln = (LayerNormalization) layer;
    TransformerOps.requireLayerNormalization(graph, "layer '" + ln.name() + "' (layer_normalization)");
    TransformerOps.layerNorm(graph, ln.name(), input, ln.name(), ln.scale(), ln.center(), ln.epsilon(), inputShape.dim(-1),
        weights, outputs.get(0));
  }
}

package dev.rnnx.onnx;

import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link GlobalMaxPooling}: {@code [B, T, d] → [B, d]}. Without lengths {@code ReduceMax} over the
 * time axis; with lengths {@code ReduceMax(Where(valid[:, :, None], x, −FLT_MAX), axis 1)}.
 */
final class GlobalMaxPoolingConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    String n = ((GlobalMaxPooling) layer).name();
    String output = outputs.get(0);
    TimeAxis time = graph.time();
    if (!time.padded()) {
      graph.reduce("ReduceMax", n + "/ReduceMax", input, output, false, 1);
      return;
    }
    String column = n + "/valid_column";
    graph.unsqueeze(n + "/valid_Unsqueeze", time.valid(), column, 2);
    String floored = n + "/floored";
    graph.node("Where", n + "/Where", List.of(column, input, graph.floatScalar(n + "/lowest", -Float.MAX_VALUE)), List.of(floored));
    graph.reduce("ReduceMax", n + "/ReduceMax", floored, output, false, 1);
  }
}

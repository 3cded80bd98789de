package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link GlobalAveragePooling}: {@code [B, T, d] → [B, d]}. Without lengths {@code ReduceMean}
 * over the time axis; with lengths the mean over each sequence's valid steps,
 * {@code ReduceSum(x · Cast(valid, float)[:, :, None], axis 1) / Cast(lengths, float)[:, None]}.
 */
final class GlobalAveragePoolingConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    String n = ((GlobalAveragePooling) layer).name();
    String output = outputs.get(0);
    TimeAxis time = graph.time();
    if (!time.padded()) {
      graph.reduce("ReduceMean", n + "/ReduceMean", input, output, false, 1);
      return;
    }
    int floatType = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    String weightsOfSteps = n + "/valid_float";
    graph.node("Cast", n + "/valid_Cast", List.of(time.valid()), List.of(weightsOfSteps), Attributes.integer("to", floatType));
    String column = n + "/valid_column";
    graph.unsqueeze(n + "/valid_Unsqueeze", weightsOfSteps, column, 2);
    String masked = n + "/masked";
    graph.node("Mul", n + "/mask_Mul", List.of(input, column), List.of(masked));
    String sum = n + "/sum";
    graph.reduce("ReduceSum", n + "/ReduceSum", masked, sum, false, 1);
    String count = n + "/count";
    graph.node("Cast", n + "/lengths_Cast", List.of(time.lengths()), List.of(count), Attributes.integer("to", floatType));
    String divisor = n + "/count_column";
    graph.unsqueeze(n + "/count_Unsqueeze", count, divisor, 1);
    graph.node("Div", n + "/Div", List.of(sum, divisor), List.of(output));
  }
}

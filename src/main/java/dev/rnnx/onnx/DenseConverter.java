package dev.rnnx.onnx;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link Dense} as {@code Gemm} (rank-2 input with a bias) or {@code MatMul} then {@code Add}
 * (any rank, acting on the last axis; {@code Add} only with a bias), then the activation op
 * ({@code Tanh}, {@code Sigmoid}, {@code Relu}; none for linear). The kernel {@code [in, units]}
 * and bias {@code [units]} are used as they are, under their parameter names.
 */
final class DenseConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights,
      GraphBuilder graph) {
    Dense dense = (Dense) layer;
    String n = dense.name();
    String output = outputs.get(0);
    String act = ActivationOps.onnxName(dense.activation());
    String kernel = graph.initializer(n + "/kernel", weights.get(n + "/kernel"));
    String bias = dense.useBias() ? graph.initializer(n + "/bias", weights.get(n + "/bias")) : null;
    String affine = act == null ? output : n + "/affine";

    if (inputShape.rank() == 2 && bias != null) {
      graph.node("Gemm", n + "/Gemm", List.of(input, kernel, bias), List.of(affine));
    } else if (bias != null) {
      String product = n + "/matmul";
      graph.node("MatMul", n + "/MatMul", List.of(input, kernel), List.of(product));
      graph.node("Add", n + "/Add", List.of(product, bias), List.of(affine));
    } else {
      graph.node("MatMul", n + "/MatMul", List.of(input, kernel), List.of(affine));
    }
    if (act != null) {
      graph.node(act, n + "/" + act, List.of(affine), List.of(output));
    }
  }
}

package dev.rnnx.onnx;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link Dense} as {@code Gemm} (rank-2 input with a bias) or {@code MatMul} then {@code Add}
 * (any rank, acting on the last axis; {@code Add} only with a bias), then the activation node
 * ({@link ActivationOps#emit}; none for linear; softmax over the last axis). The kernel
 * {@code [in, units]} and bias {@code [units]} are used as they are, under their parameter names.
 *
 * <p>{@link TimeDistributed} is the same layer on every step of {@code [batch, time, features]}:
 * MatMul on a rank-3 input already is, so it converts {@link TimeDistributed#asDense()}, whose
 * parameters carry the wrapper's name.
 */
final class DenseConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights,
      GraphBuilder graph) {
    Dense dense = layer instanceof TimeDistributed td ? td.asDense() : (Dense) layer;
    String n = dense.name();
    String output = outputs.get(0);
    boolean linear = ActivationOps.onnxName(dense.activation()) == null;
    String kernel = graph.initializer(n + "/kernel", weights.get(n + "/kernel"));
    String bias = dense.useBias() ? graph.initializer(n + "/bias", weights.get(n + "/bias")) : null;
    String affine = linear ? output : n + "/affine";

    if (inputShape.rank() == 2 && bias != null) {
      graph.node("Gemm", n + "/Gemm", List.of(input, kernel, bias), List.of(affine));
    } else if (bias != null) {
      String product = n + "/matmul";
      graph.node("MatMul", n + "/MatMul", List.of(input, kernel), List.of(product));
      graph.node("Add", n + "/Add", List.of(product, bias), List.of(affine));
    } else {
      graph.node("MatMul", n + "/MatMul", List.of(input, kernel), List.of(affine));
    }
    if (!linear) {
      ActivationOps.emit(graph, dense.activation(), n, affine, output, inputShape.rank());
    }
  }
}

package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.List;
import java.util.Map;

/**
 * Exports a model and runs it on raw ONNX Runtime (float32) and on the reference evaluator
 * ({@code dev.rnnx.ref.onnx}, float64), both checked against {@link KerasOracle} (float64, the spec's
 * semantics): same output names, shapes, and every value within {@link #ATOL}.
 */
final class Parity {

  /** Absolute tolerance of every comparison (Polygraphy's and tf2onnx's fp32 default). */
  static final double ATOL = 1e-5;

  /** The largest errors seen: ONNX Runtime vs oracle, evaluator vs oracle, and the largest |value|. */
  record Result(double ort, double evaluator, double largest) {}

  private Parity() {}

  static Result check(String label, Sequential model, Weights weights, Map<String, Tensor> inputs, int opset)
      throws Exception {
    OnnxMl.ModelProto onnx = OnnxExporter.export(model, weights, opset, TestModels.provenance()).get("model");
    return check(label, onnx, model, weights, inputs);
  }

  static Result check(String label, OnnxMl.ModelProto onnx, Sequential model, Weights weights, Map<String, Tensor> inputs)
      throws Exception {
    Map<String, KerasOracle.Tensor> expected = KerasOracle.run(model, weights, inputs);
    Map<String, FloatTensor> ort = OrtRunner.run(onnx, inputs);
    Map<String, KerasOracle.Tensor> ref = EvaluatorRunner.run(onnx, inputs);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(ort.keySet()), label + ": ORT output names");
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(ref.keySet()), label + ": evaluator output names");
    double ortWorst = 0;
    double refWorst = 0;
    double largest = 0;
    for (var e : expected.entrySet()) {
      String name = e.getKey();
      double[] want = e.getValue().data();
      FloatTensor got = ort.get(name);
      KerasOracle.Tensor other = ref.get(name);
      assertArrayEquals(e.getValue().shape(), got.shape(), label + ": ORT shape of " + name);
      assertArrayEquals(e.getValue().shape(), other.shape(), label + ": evaluator shape of " + name);
      for (int i = 0; i < want.length; i++) {
        double a = Math.abs(want[i] - got.data()[i]);
        double b = Math.abs(want[i] - other.data()[i]);
        int index = i;
        assertTrue(a < ATOL, () -> label + ": ORT " + name + " differs from the oracle at flat index " + index + " by " + a
            + " (oracle " + want[index] + ", ORT " + got.data()[index] + ")");
        assertTrue(b < ATOL, () -> label + ": evaluator " + name + " differs from the oracle at flat index " + index
            + " by " + b + " (oracle " + want[index] + ", evaluator " + other.data()[index] + ")");
        ortWorst = Math.max(ortWorst, a);
        refWorst = Math.max(refWorst, b);
        largest = Math.max(largest, Math.abs(want[i]));
      }
    }
    System.out.printf("parity %-58s ort %.2e  ref %.2e  (max |y| %.3f)%n", label, ortWorst, refWorst, largest);
    return new Result(ortWorst, refWorst, largest);
  }
}

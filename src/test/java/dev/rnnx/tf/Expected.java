package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.Map;

/**
 * What the parity tests compare against: the double-precision reference forward, which is itself
 * tied to ONNX's node tests and to hand-built ONNX graphs (package {@code ref}).
 */
final class Expected {

  private Expected() {}

  static Map<String, DoubleTensor> outputs(Sequential model, Weights weights, Map<String, ? extends Tensor> inputs) {
    return new ReferenceModel(model, weights).forward(inputs);
  }

  /** The largest absolute difference, after checking that the shapes agree. */
  static double maxAbsError(FloatTensor actual, DoubleTensor expected) {
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      throw new AssertionError("shape " + actual.shapeString() + ", expected " + Arrays.toString(expected.shape()));
    }
    double max = 0;
    for (int i = 0; i < expected.data().length; i++) {
      double d = Math.abs(actual.data()[i] - expected.data()[i]);
      if (Double.isNaN(d)) {
        return Double.POSITIVE_INFINITY;
      }
      max = Math.max(max, d);
    }
    return max;
  }
}

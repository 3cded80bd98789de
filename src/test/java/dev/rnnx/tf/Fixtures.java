package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random weights and inputs for the tests. */
final class Fixtures {

  private Fixtures() {}

  /** Uniform weights in {@code ±scale} for every parameter of the model. */
  static Weights randomWeights(Sequential model, long seed, double scale) {
    Random random = new Random(seed);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((2 * random.nextDouble() - 1) * scale);
      }
      tensors.put(p.name(), new FloatTensor(Arrays.stream(p.shape()).asLongStream().toArray(), v));
    }
    return new Weights(tensors);
  }

  /** A Gaussian input {@code [batch, time, features]}. */
  static FloatTensor randomInput(long seed, int batch, int time, int features) {
    Random random = new Random(seed);
    float[] v = new float[batch * time * features];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return FloatTensor.of(v, batch, time, features);
  }

  /** The largest absolute difference, after checking that the shapes agree. */
  static double maxAbsError(FloatTensor actual, Oracle.Value expected) {
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      throw new AssertionError("shape " + actual.shapeString() + ", expected " + Arrays.toString(expected.shape()));
    }
    double[] want = expected.flat();
    double max = 0;
    for (int i = 0; i < want.length; i++) {
      max = Math.max(max, Math.abs(actual.data()[i] - want[i]));
    }
    return max;
  }
}

package dev.rnnx.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded weights, inputs and provenance for the exporter tests. */
final class TestModels {

  private TestModels() {}

  /**
   * Glorot-uniform kernels (scaled by {@code scale}) and small non-zero biases, so that a gate or
   * bias block in the wrong place changes the outputs.
   */
  static Weights randomWeights(Sequential model, long seed, double scale) {
    Random random = new Random(seed);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      int[] shape = p.shape();
      float[] data = new float[(int) p.size()];
      double limit = shape.length == 2 ? scale * Math.sqrt(6.0 / (shape[0] + shape[1])) : 0.2;
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((2 * random.nextDouble() - 1) * limit);
      }
      long[] dims = new long[shape.length];
      for (int i = 0; i < shape.length; i++) {
        dims[i] = shape[i];
      }
      tensors.put(p.name(), new FloatTensor(dims, data));
    }
    return new Weights(tensors);
  }

  /** Standard-normal inputs {@code [batch, time, features]}. */
  static FloatTensor randomInput(int batch, int time, int features, long seed) {
    Random random = new Random(seed);
    float[] data = new float[batch * time * features];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return FloatTensor.of(data, batch, time, features);
  }

  /** A provenance with versions and metrics, for metadata round trips. */
  static Provenance provenance() {
    return new Provenance("sine-lstm", "name: sine-lstm\nseed: 42\n", 42L,
        Map.of("rnnx", "0.1.0-SNAPSHOT", "onnxruntime", "1.28.0"), Map.of("final_loss", 0.0125, "val_mse", 0.5));
  }
}

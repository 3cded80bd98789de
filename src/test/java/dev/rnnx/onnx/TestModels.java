package dev.rnnx.onnx;

import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
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
    return randomWeights(model.parameters(), seed, scale);
  }

  /**
   * The same for any parameter list; layer-norm scales ({@code …/gamma}) are drawn around 1,
   * {@code 1 ± 0.2}, as a trained one would be.
   */
  static Weights randomWeights(java.util.List<ParameterSpec> parameters, long seed, double scale) {
    Random random = new Random(seed);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : parameters) {
      int[] shape = p.shape();
      float[] data = new float[(int) p.size()];
      double limit = shape.length == 2 ? scale * Math.sqrt(6.0 / (shape[0] + shape[1])) : 0.2;
      double offset = p.name().endsWith("/gamma") ? 1 : 0;
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (offset + (2 * random.nextDouble() - 1) * limit);
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

  /**
   * Seeded values for every input of a model: standard-normal features or uniform token ids;
   * lengths that cover 1 … T within the batch (a shuffled cycle, so a batch of at least T holds
   * every length, including 1 and T); initial states N(0, 0.5²).
   */
  static Map<String, Tensor> randomInputs(Sequential model, int batch, int time, long seed) {
    Random random = new Random(seed);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec spec : model.inputs()) {
      switch (spec.name()) {
        case Sequential.INPUT -> {
          if (model.input().tokens()) {
            int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
            long[] ids = new long[batch * time];
            for (int i = 0; i < ids.length; i++) {
              ids[i] = random.nextInt(vocabulary);
            }
            inputs.put(spec.name(), LongTensor.of(ids, batch, time));
          } else {
            inputs.put(spec.name(), randomInput(batch, time, model.inputFeatures(), random.nextLong()));
          }
        }
        case Sequential.LENGTHS -> {
          java.util.List<Long> cycle = new java.util.ArrayList<>();
          for (long l = 1; l <= time; l++) {
            cycle.add(l);
          }
          java.util.Collections.shuffle(cycle, random);
          long[] lengths = new long[batch];
          for (int b = 0; b < batch; b++) {
            lengths[b] = cycle.get(b % time);
          }
          inputs.put(spec.name(), LongTensor.of(lengths, batch));
        }
        default -> {
          int size = spec.shape().dim(1);
          float[] d = new float[batch * size];
          for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.5 * random.nextGaussian());
          }
          inputs.put(spec.name(), FloatTensor.of(d, batch, size));
        }
      }
    }
    return inputs;
  }

  /** A provenance with versions and metrics, for metadata round trips. */
  static Provenance provenance() {
    return new Provenance("sine-lstm", "name: sine-lstm\nseed: 42\n", 42L,
        Map.of("rnnx", "0.1.0-SNAPSHOT", "onnxruntime", "1.28.0"), Map.of("final_loss", 0.0125, "val_mse", 0.5));
  }
}

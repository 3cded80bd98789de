package dev.rnnx.tf;

import dev.rnnx.spec.DType;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
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

  /**
   * Every input the model declares: Gaussian features or random token ids, mixed lengths (the
   * first sequence full, the second of length 1, the rest random) and Gaussian initial states.
   */
  static Map<String, Tensor> inputs(Sequential model, long seed, int batch, int time) {
    Random random = new Random(seed);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec spec : model.inputs()) {
      switch (spec.name()) {
        case Sequential.INPUT -> {
          if (spec.dtype() == DType.INT64) {
            int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
            long[] ids = new long[batch * time];
            for (int i = 0; i < ids.length; i++) {
              ids[i] = random.nextInt(vocabulary);
            }
            inputs.put(spec.name(), LongTensor.of(ids, batch, time));
          } else {
            inputs.put(spec.name(), randomInput(random.nextLong(), batch, time, model.inputFeatures()));
          }
        }
        case Sequential.LENGTHS -> inputs.put(spec.name(), lengths(random, batch, time));
        default -> {
          int size = spec.shape().dim(1);
          float[] v = new float[batch * size];
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.5 * random.nextGaussian());
          }
          inputs.put(spec.name(), FloatTensor.of(v, batch, size));
        }
      }
    }
    return inputs;
  }

  /** Lengths in 1 … time: the first full, the second 1, the rest random. */
  static LongTensor lengths(Random random, int batch, int time) {
    long[] l = new long[batch];
    for (int i = 0; i < batch; i++) {
      l[i] = i == 0 ? time : i == 1 ? 1 : 1 + random.nextInt(time);
    }
    return LongTensor.of(l, batch);
  }
}

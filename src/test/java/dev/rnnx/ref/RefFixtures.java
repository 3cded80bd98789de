package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded weights and inputs for the reference tests. */
final class RefFixtures {

  private RefFixtures() {}

  /** Every parameter of the model drawn from U(−scale, scale), in float32. */
  static Weights weights(ModelSpec model, long seed, double scale) {
    Random rnd = new Random(seed);
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
      }
      long[] shape = java.util.Arrays.stream(p.shape()).asLongStream().toArray();
      m.put(p.name(), new FloatTensor(shape, v));
    }
    return new Weights(m);
  }

  /**
   * Inputs for every declared model input: N(0, 1) features and states, token ids uniform in the
   * vocabulary, and the given lengths (or none).
   */
  static Map<String, Tensor> inputs(Sequential model, int batch, int time, int[] lengths, long seed, int vocabulary) {
    Random rnd = new Random(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (TensorSpec s : model.inputs()) {
      if (s.name().equals(Sequential.INPUT)) {
        if (model.input().tokens()) {
          long[] ids = new long[batch * time];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = rnd.nextInt(vocabulary);
          }
          m.put(s.name(), LongTensor.of(ids, batch, time));
        } else {
          m.put(s.name(), gaussian(rnd, batch, time, model.inputFeatures()));
        }
      } else if (s.name().equals(Sequential.LENGTHS)) {
        long[] l = new long[batch];
        for (int i = 0; i < batch; i++) {
          l[i] = lengths[i];
        }
        m.put(s.name(), LongTensor.of(l, batch));
      } else {
        m.put(s.name(), gaussian(rnd, batch, s.shape().dim(1)));
      }
    }
    return m;
  }

  static FloatTensor gaussian(Random rnd, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return new FloatTensor(shape, v);
  }

  static Weights weights(Map<String, float[]> values, Sequential model) {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      long[] shape = java.util.Arrays.stream(p.shape()).asLongStream().toArray();
      m.put(p.name(), new FloatTensor(shape, values.get(p.name())));
    }
    return new Weights(m);
  }
}

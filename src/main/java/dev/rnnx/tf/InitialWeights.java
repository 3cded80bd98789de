package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Keras's default initial weights, generated in Java so that they depend only on the seed:
 * every {@code kernel} glorot-uniform, every {@code recurrent_kernel} orthogonal, every
 * {@code bias} zero except an LSTM's forget-gate block, which is one ({@code unit_forget_bias}).
 */
public final class InitialWeights {

  private InitialWeights() {}

  /** The initial parameters of a model, in {@link Sequential#parameters()} order. */
  public static Weights generate(Sequential model, long seed) {
    Random random = new Random(seed);
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    List<Shape> inputs = model.layerInputShapes();
    for (int l = 0; l < model.layers().size(); l++) {
      Layer layer = model.layers().get(l);
      for (ParameterSpec p : layer.parameters(inputs.get(l))) {
        String role = p.name().substring(p.name().lastIndexOf('/') + 1);
        int[] shape = p.shape();
        float[] values = switch (role) {
          case "kernel" -> glorotUniform(shape, random);
          case "recurrent_kernel" -> orthogonal(shape, random);
          case "bias" -> layer instanceof Lstm lstm ? forgetBias(lstm.units()) : new float[(int) p.size()];
          default -> throw new IllegalArgumentException("no initialiser for parameter '" + p.name() + "' (role '" + role
              + "'), expected kernel, recurrent_kernel or bias");
        };
        tensors.put(p.name(), new FloatTensor(Arrays.stream(shape).asLongStream().toArray(), values));
      }
    }
    return new Weights(tensors);
  }

  /** Uniform on {@code ±sqrt(6 / (fan_in + fan_out))}, fans as Keras computes them for a matrix. */
  static float[] glorotUniform(int[] shape, Random random) {
    int fanIn = shape[0];
    int fanOut = shape[shape.length - 1];
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    float[] v = new float[product(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((2 * random.nextDouble() - 1) * limit);
    }
    return v;
  }

  /**
   * Keras's orthogonal initialiser: a Gaussian matrix of shape (max, min) of (rows, cols), its QR
   * factor Q with R's diagonal made positive, transposed when there are fewer rows than columns.
   * Gram-Schmidt yields exactly that Q, since it produces a positive diagonal by construction.
   */
  static float[] orthogonal(int[] shape, Random random) {
    int cols = shape[shape.length - 1];
    int rows = product(shape) / cols;
    int tall = Math.max(rows, cols);
    int narrow = Math.min(rows, cols);
    double[][] q = new double[narrow][tall]; // column vectors of the (tall x narrow) matrix
    for (int i = 0; i < tall; i++) {
      for (int j = 0; j < narrow; j++) {
        q[j][i] = random.nextGaussian();
      }
    }
    for (int j = 0; j < narrow; j++) {
      for (int pass = 0; pass < 2; pass++) { // re-orthogonalise once for accuracy
        for (int k = 0; k < j; k++) {
          double dot = 0;
          for (int i = 0; i < tall; i++) {
            dot += q[k][i] * q[j][i];
          }
          for (int i = 0; i < tall; i++) {
            q[j][i] -= dot * q[k][i];
          }
        }
      }
      double norm = 0;
      for (int i = 0; i < tall; i++) {
        norm += q[j][i] * q[j][i];
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < tall; i++) {
        q[j][i] /= norm;
      }
    }
    float[] v = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        v[r * cols + c] = (float) (rows < cols ? q[r][c] : q[c][r]);
      }
    }
    return v;
  }

  private static float[] forgetBias(int units) {
    float[] v = new float[4 * units];
    Arrays.fill(v, units, 2 * units, 1f); // gate blocks i, f, c, o: f is the second
    return v;
  }

  private static int product(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}

package dev.rnnx.experiment;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Random;

/**
 * The seeds' NumPy binary-addition code (004), replayed in plain Java double precision to explain
 * where rnnx's results differ from the seeds' figures. It follows that code step by step: no
 * biases, hand-written BPTT, plain SGD on one example per step. One detail differs from the true
 * gradient, and {@link Gradient} selects it:
 *
 * <p>the seeds compute the output delta as {@code (y − d) · d_sigmoid(y)} where {@code y} is
 * already {@code sigmoid(u)}, i.e. {@code σ'(σ(u))} instead of {@code σ'(u) = y(1 − y)}. Since
 * {@code σ'(y)} stays within [0.197, 0.25] for y in [0, 1], the output layer keeps learning at
 * full strength even when y saturates near 0 or 1.
 *
 * <p>Runs use the same training examples and held-out set as rnnx's TensorFlow runs of the same
 * seed; the initial weights are drawn from the same distributions with {@link Random}.
 */
public final class SeedCodeReplica {

  /** Which output delta to use. */
  public enum Gradient {
    /** {@code (y − d) · σ'(y)}: the seeds' code as written. */
    SEED_CODE,
    /** {@code (y − d) · y(1 − y)}: the true gradient of ½ Σ (y − d)², as TensorFlow computes it. */
    TRUE
  }

  private SeedCodeReplica() {}

  /** Trains one variant recipe on its data, evaluating the held-out set every {@code evaluateEvery} steps. */
  public static SeedRun run(Recipe recipe, Split data, Gradient gradient, int evaluateEvery) {
    return run(recipe, data, gradient, evaluateEvery, null);
  }

  /**
   * Trains from given initial weights (canonical names of the recipe's two layers), or from
   * weights drawn like the seeds' code when {@code initial} is null; {@code initial} is not changed.
   */
  public static SeedRun run(Recipe recipe, Split data, Gradient gradient, int evaluateEvery, Weights initial) {
    return train(recipe, data, gradient, evaluateEvery, initial).run();
  }

  /** A run and the weights it ended with. */
  record Trained(SeedRun run, Weights weights) {}

  static Trained train(Recipe recipe, Split data, Gradient gradient, int evaluateEvery, Weights initial) {
    long start = System.nanoTime();
    SimpleRnn rnn = (SimpleRnn) recipe.sequential().layers().get(0);
    TimeDistributed head = (TimeDistributed) recipe.sequential().layers().get(1);
    Dense out = head.layer();
    int in = recipe.sequential().inputFeatures();
    int h = rnn.units();
    Activation f = rnn.activation();
    double[][] wIn;
    double[][] w;
    double[][] wOut;
    if (initial == null) {
      Random random = new Random(recipe.seed());
      wIn = gaussian(random, in, h, std(rnn.kernelInitializer()));
      w = gaussian(random, h, h, std(rnn.recurrentInitializer()));
      wOut = gaussian(random, h, 1, std(out.kernelInitializer()));
    } else {
      wIn = matrix(initial.get(rnn.name() + "/kernel"));
      w = matrix(initial.get(rnn.name() + "/recurrent_kernel"));
      wOut = matrix(initial.get(head.name() + "/kernel"));
    }
    double lr = recipe.training().learningRate();
    Dataset train = data.train();
    int bits = train.length();
    float[] x = ((FloatTensor) train.x()).data();
    float[] d = train.y().data();

    double[][] u = new double[bits + 1][h];
    double[][] z = new double[bits + 1][h];
    double[] y = new double[bits];
    double[][] delta = new double[bits + 1][h];
    double[] deltaOut = new double[bits];
    double[][] gIn = new double[in][h];
    double[][] g = new double[h][h];
    double[][] gOut = new double[h][1];
    List<Integer> steps = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    int solved = -1;
    double exact = Double.NaN;
    for (int step = 0; step < train.size(); step++) {
      int xo = step * bits * in;
      int yo = step * bits;
      for (int t = 0; t < bits; t++) {
        for (int j = 0; j < h; j++) {
          double s = 0;
          for (int k = 0; k < in; k++) {
            s += x[xo + t * in + k] * wIn[k][j];
          }
          for (int k = 0; k < h; k++) {
            s += z[t][k] * w[k][j];
          }
          u[t + 1][j] = s;
          z[t + 1][j] = f.apply(s);
        }
        double o = 0;
        for (int k = 0; k < h; k++) {
          o += z[t + 1][k] * wOut[k][0];
        }
        y[t] = sigmoid(o);
        double slope = gradient == Gradient.SEED_CODE ? sigmoid(y[t]) * (1 - sigmoid(y[t])) : y[t] * (1 - y[t]);
        deltaOut[t] = (y[t] - d[yo + t]) * slope;
      }
      for (int t = bits - 1; t >= 0; t--) {
        for (int j = 0; j < h; j++) {
          double s = deltaOut[t] * wOut[j][0];
          for (int k = 0; k < h; k++) {
            s += delta[t + 1][k] * w[j][k];
          }
          delta[t][j] = s * derivative(f, u[t + 1][j]);
        }
        for (int j = 0; j < h; j++) {
          gOut[j][0] += z[t + 1][j] * deltaOut[t];
          for (int k = 0; k < h; k++) {
            g[j][k] += z[t][j] * delta[t][k];
          }
        }
        for (int k = 0; k < in; k++) {
          for (int j = 0; j < h; j++) {
            gIn[k][j] += x[xo + t * in + k] * delta[t][j];
          }
        }
      }
      apply(wIn, gIn, lr);
      apply(w, g, lr);
      apply(wOut, gOut, lr);
      if ((step + 1) % evaluateEvery == 0) {
        double[] e = evaluate(data.validation(), wIn, w, wOut, f);
        steps.add(step + 1);
        losses.add(e[0]);
        exact = e[1];
        if (solved < 0 && exact == 1.0) {
          solved = step + 1;
        }
      }
    }
    return new Trained(new SeedRun((int) recipe.seed(), solved, losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1),
        exact, steps, losses, (System.nanoTime() - start) / 1e9), weights(recipe, wIn, w, wOut));
  }

  /** Held-out ½ Σ (y − d)² per sum, and the fraction of sums with every bit right. */
  private static double[] evaluate(Dataset set, double[][] wIn, double[][] w, double[][] wOut, Activation f) {
    int bits = set.length();
    int in = wIn.length;
    int h = w.length;
    float[] x = ((FloatTensor) set.x()).data();
    float[] d = set.y().data();
    double loss = 0;
    int exact = 0;
    for (int i = 0; i < set.size(); i++) {
      double[] z = new double[h];
      boolean right = true;
      for (int t = 0; t < bits; t++) {
        double[] next = new double[h];
        for (int j = 0; j < h; j++) {
          double s = 0;
          for (int k = 0; k < in; k++) {
            s += x[(i * bits + t) * in + k] * wIn[k][j];
          }
          for (int k = 0; k < h; k++) {
            s += z[k] * w[k][j];
          }
          next[j] = f.apply(s);
        }
        z = next;
        double o = 0;
        for (int k = 0; k < h; k++) {
          o += z[k] * wOut[k][0];
        }
        double y = sigmoid(o);
        double target = d[i * bits + t];
        loss += 0.5 * (y - target) * (y - target);
        // an output of exactly 0.5 reads as 0, as NumPy's round (half to even) and Keras's
        // binary accuracy (y > 0.5) read it; tanh and ReLU cells with no bias give exactly 0.5
        // at every step before the first 1 bit, where the target is always 0
        right &= (y > 0.5) == (target > 0.5);
      }
      exact += right ? 1 : 0;
    }
    return new double[] {loss / set.size(), exact / (double) set.size()};
  }

  /** The current weights, for comparison with another trainer. */
  static Weights weights(Recipe recipe, double[][] wIn, double[][] w, double[][] wOut) {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put(recipe.sequential().layers().get(0).name() + "/kernel", tensor(wIn));
    m.put(recipe.sequential().layers().get(0).name() + "/recurrent_kernel", tensor(w));
    m.put(recipe.sequential().layers().get(1).name() + "/kernel", tensor(wOut));
    return new Weights(m);
  }

  private static FloatTensor tensor(double[][] m) {
    float[] d = new float[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        d[i * m[0].length + j] = (float) m[i][j];
      }
    }
    return FloatTensor.of(d, m.length, m[0].length);
  }

  private static double[][] matrix(FloatTensor t) {
    int rows = (int) t.dim(0);
    int cols = (int) t.dim(1);
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = t.data()[i * cols + j];
      }
    }
    return m;
  }

  private static double std(Initializer init) {
    if (init.kind() != Initializer.Kind.NORMAL) {
      throw new IllegalArgumentException("the seeds' code draws N(0, std²) weights, got " + init);
    }
    return init.scale();
  }

  private static double[][] gaussian(Random r, int rows, int cols, double std) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = std * r.nextGaussian();
      }
    }
    return m;
  }

  private static void apply(double[][] weights, double[][] grad, double lr) {
    for (int i = 0; i < weights.length; i++) {
      for (int j = 0; j < weights[i].length; j++) {
        weights[i][j] -= lr * grad[i][j];
        grad[i][j] = 0;
      }
    }
  }

  private static double sigmoid(double v) {
    return 1 / (1 + Math.exp(-v));
  }

  private static double derivative(Activation f, double u) {
    return switch (f) {
      case SIGMOID -> sigmoid(u) * (1 - sigmoid(u));
      case TANH -> 1 / (Math.cosh(u) * Math.cosh(u));
      case RELU -> u > 0 ? 1 : 0;
      default -> throw new IllegalArgumentException("the seeds' code uses sigmoid, tanh or ReLU, got " + f);
    };
  }
}

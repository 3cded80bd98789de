package dev.rnnx.onnx;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain-Java, double-precision forward of a {@link Sequential} model with Keras semantics: the
 * oracle the exported ONNX models are compared against. Written from the equations, independent
 * of the exporter and of {@link GateLayout}.
 *
 * <pre>
 * z = x_t · kernel + h · recurrent_kernel + bias     (gate blocks i, f, c, o)
 * c = f ⊙ c + i ⊙ a(z_c)      h = o ⊙ a(c)          (i, f, o = r(z_i), r(z_f), r(z_o))
 * </pre>
 */
final class KerasOracle {

  /** A tensor of doubles in row-major order. */
  record Tensor(long[] shape, double[] data) {}

  private KerasOracle() {}

  /** Runs the model on {@code input [B, T, F]}; returns the outputs by {@link Sequential#outputs()} name. */
  static Map<String, Tensor> run(Sequential model, Weights weights, FloatTensor input) {
    long[] s = input.shape();
    Tensor x = new Tensor(s, toDouble(input.data()));
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      boolean last = i == model.layers().size() - 1;
      if (layer instanceof Lstm l) {
        Tensor[] r = lstm(l, weights, x);
        x = r[0];
        if (last && l.returnState()) {
          outputs.put("state_h", r[1]);
          outputs.put("state_c", r[2]);
        }
      } else if (layer instanceof Dense d) {
        x = dense(d, weights, x);
      } else {
        throw new IllegalArgumentException("oracle has no forward for " + layer.kind());
      }
    }
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    ordered.put("output", x);
    ordered.putAll(outputs);
    return ordered;
  }

  static Tensor[] lstm(Lstm l, Weights w, Tensor x) {
    int b = (int) x.shape[0];
    int t = (int) x.shape[1];
    int in = (int) x.shape[2];
    int h = l.units();
    double[] k = toDouble(w.get(l.name() + "/kernel").data()); // [in, 4h]
    double[] rk = toDouble(w.get(l.name() + "/recurrent_kernel").data()); // [h, 4h]
    double[] bias = l.useBias() ? toDouble(w.get(l.name() + "/bias").data()) : new double[4 * h];
    double[] seq = new double[b * t * h];
    double[] lastH = new double[b * h];
    double[] lastC = new double[b * h];
    for (int n = 0; n < b; n++) {
      double[] hs = new double[h];
      double[] cs = new double[h];
      for (int step = 0; step < t; step++) {
        double[] z = bias.clone();
        for (int i = 0; i < in; i++) {
          double xi = x.data[(n * t + step) * in + i];
          for (int g = 0; g < 4 * h; g++) {
            z[g] += xi * k[i * 4 * h + g];
          }
        }
        for (int j = 0; j < h; j++) {
          for (int g = 0; g < 4 * h; g++) {
            z[g] += hs[j] * rk[j * 4 * h + g];
          }
        }
        for (int j = 0; j < h; j++) {
          double ig = l.recurrentActivation().apply(z[j]);
          double fg = l.recurrentActivation().apply(z[h + j]);
          double cand = l.activation().apply(z[2 * h + j]);
          double og = l.recurrentActivation().apply(z[3 * h + j]);
          cs[j] = fg * cs[j] + ig * cand;
          hs[j] = og * l.activation().apply(cs[j]);
          seq[(n * t + step) * h + j] = hs[j];
        }
      }
      System.arraycopy(hs, 0, lastH, n * h, h);
      System.arraycopy(cs, 0, lastC, n * h, h);
    }
    Tensor out = l.returnSequences() ? new Tensor(new long[] {b, t, h}, seq) : new Tensor(new long[] {b, h}, lastH);
    return new Tensor[] {out, new Tensor(new long[] {b, h}, lastH), new Tensor(new long[] {b, h}, lastC)};
  }

  static Tensor dense(Dense d, Weights w, Tensor x) {
    int in = (int) x.shape[x.shape.length - 1];
    int rows = x.data.length / in;
    int u = d.units();
    double[] k = toDouble(w.get(d.name() + "/kernel").data());
    double[] bias = d.useBias() ? toDouble(w.get(d.name() + "/bias").data()) : new double[u];
    double[] y = new double[rows * u];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < u; j++) {
        double acc = bias[j];
        for (int i = 0; i < in; i++) {
          acc += x.data[r * in + i] * k[i * u + j];
        }
        y[r * u + j] = d.activation().apply(acc);
      }
    }
    long[] shape = x.shape.clone();
    shape[shape.length - 1] = u;
    return new Tensor(shape, y);
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}

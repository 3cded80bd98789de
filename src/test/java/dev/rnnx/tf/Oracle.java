package dev.rnnx.tf;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain double-precision forward of LSTM and Dense stacks, written from the formulas in
 * {@code spec/Lstm.java} and {@code spec/Dense.java}, independent of the TensorFlow graphs.
 */
final class Oracle {

  /** A value in double precision: rank 2 {@code [B][d]} when {@code seq} is null, else rank 3. */
  record Value(double[][] last, double[][][] seq) {

    /** Flattened row-major. */
    double[] flat() {
      if (seq == null) {
        int d = last[0].length;
        double[] out = new double[last.length * d];
        for (int b = 0; b < last.length; b++) {
          System.arraycopy(last[b], 0, out, b * d, d);
        }
        return out;
      }
      int t = seq[0].length;
      int d = seq[0][0].length;
      double[] out = new double[seq.length * t * d];
      for (int b = 0; b < seq.length; b++) {
        for (int s = 0; s < t; s++) {
          System.arraycopy(seq[b][s], 0, out, (b * t + s) * d, d);
        }
      }
      return out;
    }

    long[] shape() {
      return seq == null ? new long[] {last.length, last[0].length} : new long[] {seq.length, seq[0].length, seq[0][0].length};
    }
  }

  private Oracle() {}

  /** The model's outputs by name ({@code output}, {@code state_h}, {@code state_c}). */
  static Map<String, Value> forward(Sequential model, Weights w, FloatTensor x) {
    int batch = (int) x.dim(0);
    int time = (int) x.dim(1);
    int features = (int) x.dim(2);
    double[][][] in = new double[batch][time][features];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        for (int f = 0; f < features; f++) {
          in[b][t][f] = x.data()[(b * time + t) * features + f];
        }
      }
    }
    Value value = new Value(null, in);
    Map<String, Value> out = new LinkedHashMap<>();
    for (Layer layer : model.layers()) {
      out.clear();
      if (layer instanceof Lstm lstm) {
        Value[] r = lstm(lstm, w, value.seq());
        out.put("output", r[0]);
        if (lstm.returnState()) {
          out.put("state_h", r[1]);
          out.put("state_c", r[2]);
        }
        value = r[0];
      } else if (layer instanceof Dense dense) {
        value = dense(dense, w, value);
        out.put("output", value);
      } else {
        throw new IllegalArgumentException(layer.kind());
      }
    }
    return out;
  }

  private static Value[] lstm(Lstm l, Weights w, double[][][] x) {
    int h = l.units();
    int in = x[0][0].length;
    float[] k = w.get(l.name() + "/kernel").data();
    float[] u = w.get(l.name() + "/recurrent_kernel").data();
    float[] bias = l.useBias() ? w.get(l.name() + "/bias").data() : new float[4 * h];
    int batch = x.length;
    int time = x[0].length;
    double[][][] seq = new double[batch][time][h];
    double[][] hs = new double[batch][h];
    double[][] cs = new double[batch][h];
    for (int b = 0; b < batch; b++) {
      double[] hv = new double[h];
      double[] cv = new double[h];
      for (int t = 0; t < time; t++) {
        double[] z = new double[4 * h];
        for (int j = 0; j < 4 * h; j++) {
          double s = bias[j];
          for (int i = 0; i < in; i++) {
            s += x[b][t][i] * k[i * 4 * h + j];
          }
          for (int i = 0; i < h; i++) {
            s += hv[i] * u[i * 4 * h + j];
          }
          z[j] = s;
        }
        double[] hn = new double[h];
        for (int j = 0; j < h; j++) {
          double ig = l.recurrentActivation().apply(z[j]);
          double fg = l.recurrentActivation().apply(z[h + j]);
          double cand = l.activation().apply(z[2 * h + j]);
          double og = l.recurrentActivation().apply(z[3 * h + j]);
          cv[j] = fg * cv[j] + ig * cand;
          hn[j] = og * l.activation().apply(cv[j]);
        }
        hv = hn;
        seq[b][t] = hn.clone();
      }
      hs[b] = hv;
      cs[b] = cv;
    }
    Value output = l.returnSequences() ? new Value(null, seq) : new Value(hs, null);
    return new Value[] {output, new Value(hs, null), new Value(cs, null)};
  }

  private static Value dense(Dense d, Weights w, Value v) {
    float[] k = w.get(d.name() + "/kernel").data();
    float[] bias = d.useBias() ? w.get(d.name() + "/bias").data() : new float[d.units()];
    if (v.seq() == null) {
      return new Value(affine(d, k, bias, v.last()), null);
    }
    double[][][] out = new double[v.seq().length][][];
    for (int b = 0; b < out.length; b++) {
      out[b] = affine(d, k, bias, v.seq()[b]);
    }
    return new Value(null, out);
  }

  private static double[][] affine(Dense d, float[] k, float[] bias, double[][] rows) {
    int in = rows[0].length;
    double[][] out = new double[rows.length][d.units()];
    for (int r = 0; r < rows.length; r++) {
      for (int j = 0; j < d.units(); j++) {
        double s = bias[j];
        for (int i = 0; i < in; i++) {
          s += rows[r][i] * k[i * d.units() + j];
        }
        out[r][j] = d.activation().apply(s);
      }
    }
    return out;
  }
}

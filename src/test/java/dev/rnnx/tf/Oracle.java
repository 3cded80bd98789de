package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain double-precision forward of every layer kind, written from the formulas in the spec
 * records' Javadoc ({@code spec/SimpleRnn}, {@code Lstm}, {@code Gru}, {@code Bidirectional},
 * {@code RecurrentLayer}, …), independent of the TensorFlow graphs. Lengths, go_backwards, state
 * inputs and return_state follow {@link RecurrentLayer}'s contract. It stands in for
 * {@code dev.rnnx.ref.ReferenceModel} until that knows every layer ({@link Expected}).
 */
final class Oracle {

  private Oracle() {}

  /** A value: a sequence {@code [B][T][d]} or a single {@code [B][d]}. */
  private record Value(double[][][] seq, double[][] last) {
    static Value seq(double[][][] s) {
      return new Value(s, null);
    }

    static Value single(double[][] l) {
      return new Value(null, l);
    }

    DoubleTensor tensor() {
      if (seq == null) {
        int d = last[0].length;
        double[] out = new double[last.length * d];
        for (int b = 0; b < last.length; b++) {
          System.arraycopy(last[b], 0, out, b * d, d);
        }
        return new DoubleTensor(new long[] {last.length, d}, out);
      }
      int t = seq[0].length;
      int d = seq[0][0].length;
      double[] out = new double[seq.length * t * d];
      for (int b = 0; b < seq.length; b++) {
        for (int s = 0; s < t; s++) {
          System.arraycopy(seq[b][s], 0, out, (b * t + s) * d, d);
        }
      }
      return new DoubleTensor(new long[] {seq.length, t, d}, out);
    }
  }

  /** The model's outputs by name ({@code output}, {@code state_…}), as {@code ReferenceModel.forward} gives them. */
  static Map<String, DoubleTensor> forward(Sequential model, Weights w, Map<String, ? extends Tensor> inputs) {
    Tensor main = inputs.get(Sequential.INPUT);
    int batch = (int) main.dim(0);
    int time = (int) main.dim(1);
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = inputs.containsKey(Sequential.LENGTHS) ? (int) ((LongTensor) inputs.get(Sequential.LENGTHS)).data()[b] : time;
    }
    Value value;
    long[] ids = null;
    if (main instanceof LongTensor l) {
      ids = l.data();
      value = null;
    } else {
      FloatTensor x = (FloatTensor) main;
      int f = (int) x.dim(2);
      double[][][] in = new double[batch][time][f];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < time; t++) {
          for (int k = 0; k < f; k++) {
            in[b][t][k] = x.data()[(b * time + t) * f + k];
          }
        }
      }
      value = Value.seq(in);
    }
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    for (Layer layer : model.layers()) {
      out.clear();
      List<Value> results;
      if (layer instanceof Embedding e) {
        float[] table = w.get(e.name() + "/embeddings").data();
        double[][][] seq = new double[batch][time][e.outputDim()];
        for (int b = 0; b < batch; b++) {
          for (int t = 0; t < time; t++) {
            int id = (int) ids[b * time + t];
            for (int k = 0; k < e.outputDim(); k++) {
              seq[b][t][k] = table[id * e.outputDim() + k];
            }
          }
        }
        results = List.of(Value.seq(seq));
      } else if (layer instanceof Dense d) {
        results = List.of(dense(d, w, value));
      } else if (layer instanceof TimeDistributed td) {
        results = List.of(dense(td.asDense(), w, value));
      } else if (layer instanceof RecurrentLayer r) {
        Run run = recurrent(r, r.name() + "/", w, value.seq(), lengths, r.goBackwards(),
            initial(r, inputs, r.name() + "_", batch));
        results = new ArrayList<>();
        results.add(r.returnSequences() ? Value.seq(run.outputs) : Value.single(run.states.get(0)));
        if (r.returnState()) {
          run.states.forEach(s -> results.add(Value.single(s)));
        }
      } else if (layer instanceof Bidirectional bi) {
        results = bidirectional(bi, w, value.seq(), lengths, inputs);
      } else {
        throw new IllegalArgumentException(layer.kind());
      }
      List<String> names = layer.outputNames();
      for (int i = 0; i < results.size(); i++) {
        out.put(i == 0 ? "output" : "state_" + names.get(i), results.get(i).tensor());
      }
      value = results.get(0);
    }
    return out;
  }

  private static List<double[][]> initial(RecurrentLayer r, Map<String, ? extends Tensor> inputs, String prefix, int batch) {
    List<double[][]> states = new ArrayList<>();
    for (String s : r.states()) {
      double[][] v = new double[batch][r.units()];
      Tensor given = r.stateInputs() ? inputs.get(prefix + s + "0") : null;
      if (given != null) {
        float[] d = ((FloatTensor) given).data();
        for (int b = 0; b < batch; b++) {
          for (int j = 0; j < r.units(); j++) {
            v[b][j] = d[b * r.units() + j];
          }
        }
      }
      states.add(v);
    }
    return states;
  }

  private static List<Value> bidirectional(Bidirectional bi, Weights w, double[][][] x, int[] lengths,
      Map<String, ? extends Tensor> inputs) {
    RecurrentLayer r = bi.layer();
    int batch = x.length;
    int time = x[0].length;
    int h = r.units();
    Run f = recurrent(r, bi.name() + "/forward/", w, x, lengths, false, initial(r, inputs, bi.name() + "_forward_", batch));
    Run b = recurrent(r, bi.name() + "/backward/", w, x, lengths, true, initial(r, inputs, bi.name() + "_backward_", batch));
    List<Value> out = new ArrayList<>();
    if (r.returnSequences()) {
      double[][][] merged = new double[batch][time][];
      for (int n = 0; n < batch; n++) {
        for (int t = 0; t < time; t++) {
          double[] fb = f.outputs[n][t];
          // backward output at input step t: the state after reading x[L−1] … x[t]
          double[] bb = t < lengths[n] ? b.outputs[n][lengths[n] - 1 - t] : new double[h];
          merged[n][t] = merge(bi, fb, bb);
        }
      }
      out.add(Value.seq(merged));
    } else {
      double[][] merged = new double[batch][];
      for (int n = 0; n < batch; n++) {
        merged[n] = merge(bi, f.states.get(0)[n], b.states.get(0)[n]);
      }
      out.add(Value.single(merged));
    }
    if (r.returnState()) {
      f.states.forEach(s -> out.add(Value.single(s)));
      b.states.forEach(s -> out.add(Value.single(s)));
    }
    return out;
  }

  private static double[] merge(Bidirectional bi, double[] f, double[] b) {
    int h = f.length;
    switch (bi.mergeMode()) {
      case CONCAT: {
        double[] out = new double[2 * h];
        System.arraycopy(f, 0, out, 0, h);
        System.arraycopy(b, 0, out, h, h);
        return out;
      }
      default: {
        double[] out = new double[h];
        for (int j = 0; j < h; j++) {
          out[j] = bi.mergeMode().merge(f[j], b[j]);
        }
        return out;
      }
    }
  }

  /** One direction's per-step outputs (processing order, zero past L) and final states. */
  private record Run(double[][][] outputs, List<double[][]> states) {}

  private static Run recurrent(RecurrentLayer r, String prefix, Weights w, double[][][] x, int[] lengths, boolean backwards,
      List<double[][]> initial) {
    int batch = x.length;
    int time = x[0].length;
    int h = r.units();
    double[][][] outputs = new double[batch][time][h];
    List<double[][]> finals = new ArrayList<>();
    initial.forEach(s -> finals.add(new double[batch][]));
    for (int b = 0; b < batch; b++) {
      List<double[]> states = new ArrayList<>();
      for (double[][] s : initial) {
        states.add(s[b].clone());
      }
      int length = lengths[b];
      for (int t = 0; t < length; t++) {
        double[] xt = x[b][backwards ? length - 1 - t : t];
        states = step(r, prefix, w, xt, states);
        outputs[b][t] = states.get(0).clone();
      }
      for (int k = 0; k < states.size(); k++) {
        finals.get(k)[b] = states.get(k);
      }
    }
    return new Run(outputs, finals);
  }

  /** {@code x · M} for a row-major matrix {@code M [in, cols]}, columns {@code from … from+n}. */
  private static double[] dot(double[] x, float[] m, int cols, int from, int n) {
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        s += x[i] * m[i * cols + from + j];
      }
      out[j] = s;
    }
    return out;
  }

  private static List<double[]> step(RecurrentLayer r, String prefix, Weights w, double[] x, List<double[]> states) {
    int h = r.units();
    int g = r.gates();
    float[] kernel = w.get(prefix + "kernel").data();
    float[] recurrent = w.get(prefix + "recurrent_kernel").data();
    float[] bias = r.useBias() ? w.get(prefix + "bias").data() : null;
    double[] hp = states.get(0);
    double[] xw = dot(x, kernel, g * h, 0, g * h);
    if (r instanceof SimpleRnn s) {
      double[] hu = dot(hp, recurrent, h, 0, h);
      double[] out = new double[h];
      for (int j = 0; j < h; j++) {
        out[j] = s.activation().apply(xw[j] + hu[j] + (bias == null ? 0 : bias[j]));
      }
      return List.of(out);
    }
    if (r instanceof Lstm l) {
      double[] cp = states.get(1);
      double[] hu = dot(hp, recurrent, 4 * h, 0, 4 * h);
      float[] p = l.peephole() ? w.get(prefix + "peephole").data() : null;
      double[] hn = new double[h];
      double[] cn = new double[h];
      for (int j = 0; j < h; j++) {
        double zi = xw[j] + hu[j] + (bias == null ? 0 : bias[j]);
        double zf = xw[h + j] + hu[h + j] + (bias == null ? 0 : bias[h + j]);
        double zc = xw[2 * h + j] + hu[2 * h + j] + (bias == null ? 0 : bias[2 * h + j]);
        double zo = xw[3 * h + j] + hu[3 * h + j] + (bias == null ? 0 : bias[3 * h + j]);
        if (p != null) {
          zi += p[j] * cp[j];
          zf += p[h + j] * cp[j];
        }
        double i = l.recurrentActivation().apply(zi);
        double f = l.recurrentActivation().apply(zf);
        cn[j] = f * cp[j] + i * l.activation().apply(zc);
        if (p != null) {
          zo += p[2 * h + j] * cn[j];
        }
        hn[j] = l.recurrentActivation().apply(zo) * l.activation().apply(cn[j]);
      }
      return List.of(hn, cn);
    }
    Gru gru = (Gru) r;
    Activation ra = gru.recurrentActivation();
    double[] bi = new double[3 * h];
    double[] br = new double[3 * h];
    if (bias != null) {
      for (int j = 0; j < 3 * h; j++) {
        bi[j] = bias[j];
        br[j] = gru.resetAfter() ? bias[3 * h + j] : 0;
      }
    }
    double[] out = new double[h];
    if (gru.resetAfter()) {
      double[] hu = dot(hp, recurrent, 3 * h, 0, 3 * h);
      for (int j = 0; j < h; j++) {
        double z = ra.apply(xw[j] + bi[j] + hu[j] + br[j]);
        double rr = ra.apply(xw[h + j] + bi[h + j] + hu[h + j] + br[h + j]);
        double cand = gru.activation().apply(xw[2 * h + j] + bi[2 * h + j] + rr * (hu[2 * h + j] + br[2 * h + j]));
        out[j] = z * hp[j] + (1 - z) * cand;
      }
    } else {
      double[] hu = dot(hp, recurrent, 3 * h, 0, 2 * h);
      double[] z = new double[h];
      double[] rh = new double[h];
      for (int j = 0; j < h; j++) {
        z[j] = ra.apply(xw[j] + bi[j] + hu[j]);
        rh[j] = ra.apply(xw[h + j] + bi[h + j] + hu[h + j]) * hp[j];
      }
      double[] ru = dot(rh, recurrent, 3 * h, 2 * h, h);
      for (int j = 0; j < h; j++) {
        double cand = gru.activation().apply(xw[2 * h + j] + bi[2 * h + j] + ru[j]);
        out[j] = z[j] * hp[j] + (1 - z[j]) * cand;
      }
    }
    return List.of(out);
  }

  private static Value dense(Dense d, Weights w, Value v) {
    float[] k = w.get(d.name() + "/kernel").data();
    float[] bias = d.useBias() ? w.get(d.name() + "/bias").data() : new float[d.units()];
    if (v.seq() == null) {
      return Value.single(affine(d, k, bias, v.last()));
    }
    double[][][] out = new double[v.seq().length][][];
    for (int b = 0; b < out.length; b++) {
      out[b] = affine(d, k, bias, v.seq()[b]);
    }
    return Value.seq(out);
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
        out[r][j] = d.activation() == Activation.SOFTMAX ? s : d.activation().apply(s);
      }
      if (d.activation() == Activation.SOFTMAX) {
        Activation.softmaxInPlace(out[r], 0, d.units());
      }
    }
    return out;
  }
}

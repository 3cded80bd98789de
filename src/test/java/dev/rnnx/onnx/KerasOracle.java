package dev.rnnx.onnx;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java, double-precision forward of a {@link Sequential} model with the spec's semantics:
 * the oracle the exported ONNX models are compared against. Written from the records' equations,
 * independent of the exporter, of {@link GateLayout} and of ONNX's conventions: Keras gate order and
 * kernels {@code [in, G·H]} read as they are, one sequence at a time, one step at a time.
 *
 * <pre>
 * simple_rnn  h = a(x·K + h·U + b)
 * lstm        z = x·K + h·U + b (blocks i f c o); i = r(z_i + p_i⊙c); f = r(z_f + p_f⊙c)
 *             c = f⊙c + i⊙a(z_c); o = r(z_o + p_o⊙c); h = o⊙a(c)      (p = 0 without peepholes)
 * gru         z, r = r(x·K + h·U + b (+ b')); reset_after: h~ = a(x·K_h + b_h + r⊙(h·U_h + b'_h))
 *             otherwise h~ = a(x·K_h + (r⊙h)·U_h + b_h); h = z⊙h + (1−z)⊙h~
 * lengths     a sequence of length L is read at steps 0…L−1 (go_backwards: L−1…0); outputs past L are 0
 * go_backwards  sequence output k = the state after the k-th step read (processing order)
 * bidirectional the backward half's output t = its state after reading L−1…t (input time order)
 * attention, multi-head attention, transformer blocks, layer norm, positions, pooling: {@link AttentionOracle}
 * </pre>
 */
final class KerasOracle {

  /** A tensor of doubles in row-major order. */
  record Tensor(long[] shape, double[] data) {}

  private KerasOracle() {}

  /** Runs the model on a float input {@code [B, T, F]} alone (no lengths, no state inputs). */
  static Map<String, Tensor> run(Sequential model, Weights weights, FloatTensor input) {
    return run(model, weights, Map.of(Sequential.INPUT, input));
  }

  /** Runs the model on its named inputs; returns the outputs by {@link Sequential#outputs()} name. */
  static Map<String, Tensor> run(Sequential model, Weights weights, Map<String, ? extends dev.rnnx.spec.Tensor> inputs) {
    dev.rnnx.spec.Tensor main = inputs.get(Sequential.INPUT);
    int batch = (int) main.dim(0);
    int time = (int) main.dim(1);
    int[] lengths = new int[batch];
    if (inputs.containsKey(Sequential.LENGTHS)) {
      long[] l = ((LongTensor) inputs.get(Sequential.LENGTHS)).data();
      for (int b = 0; b < batch; b++) {
        lengths[b] = (int) l[b];
      }
    } else {
      java.util.Arrays.fill(lengths, time);
    }
    Tensor x = main instanceof FloatTensor f ? new Tensor(f.shape(), toDouble(f.data())) : null;
    Map<String, Tensor> states = new LinkedHashMap<>();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      Tensor[] r;
      if (layer instanceof Embedding e) {
        r = new Tensor[] {embedding(e, weights, (LongTensor) main)};
      } else if (layer instanceof Dense d) {
        r = new Tensor[] {dense(d, weights, x)};
      } else if (layer instanceof TimeDistributed td) {
        r = new Tensor[] {dense(td.asDense(), weights, x)};
      } else if (layer instanceof LayerNormalization ln) {
        r = new Tensor[] {AttentionOracle.layerNorm(ln, weights, x)};
      } else if (layer instanceof PositionalEncoding pe) {
        r = new Tensor[] {AttentionOracle.positionalEncoding(pe, x)};
      } else if (layer instanceof Attention a) {
        r = new Tensor[] {AttentionOracle.attention(a, weights, x, lengths)};
      } else if (layer instanceof MultiHeadAttention m) {
        r = new Tensor[] {AttentionOracle.multiHead(m.name(), m.heads(), m.keyDim(), m.causal(), weights, x, x, lengths)};
      } else if (layer instanceof TransformerEncoder t) {
        r = new Tensor[] {AttentionOracle.encoderBlock(t.name(), t.heads(), t.epsilon(), t.causal(), t.normFirst(),
            t.activation() == FeedForwardActivation.GELU, weights, x, lengths)};
      } else if (layer instanceof GlobalAveragePooling) {
        r = new Tensor[] {AttentionOracle.pooling(x, lengths)};
      } else if (layer instanceof Bidirectional bi) {
        r = bidirectional(bi, weights, x, lengths, inputs);
      } else {
        RecurrentLayer rnn = (RecurrentLayer) layer;
        r = recurrent(rnn, rnn.name() + "/", weights, x, lengths, initialStates(layer, rnn, "", inputs),
            rnn.goBackwards(), rnn.goBackwards());
      }
      x = r[0];
      if (i == model.layers().size() - 1) {
        List<String> names = layer.outputNames();
        for (int k = 1; k < names.size(); k++) {
          states.put("state_" + names.get(k), r[k]);
        }
      }
    }
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    ordered.put("output", x);
    ordered.putAll(states);
    return ordered;
  }

  /** The state inputs of one layer (or one direction: {@code prefix} "forward_"), or null for zeros. */
  private static double[][] initialStates(Layer layer, RecurrentLayer rnn, String prefix,
      Map<String, ? extends dev.rnnx.spec.Tensor> inputs) {
    if (!rnn.stateInputs()) {
      return null;
    }
    List<String> states = rnn.states();
    double[][] init = new double[states.size()][];
    for (int s = 0; s < states.size(); s++) {
      init[s] = toDouble(((FloatTensor) inputs.get(Sequential.stateInputName(layer, prefix + states.get(s)))).data());
    }
    return init;
  }

  private static Tensor[] bidirectional(Bidirectional bi, Weights w, Tensor x, int[] lengths,
      Map<String, ? extends dev.rnnx.spec.Tensor> inputs) {
    RecurrentLayer rnn = bi.layer();
    Tensor merged;
    Tensor[] f;
    Tensor[] b;
    if (rnn.goBackwards()) {
      // Keras's Bidirectional around a go_backwards layer: forward_layer (the wrapped one) reads backwards, its output y in
      // processing order; backward_layer (go_backwards flipped) reads forwards, y_rev reversed when sequences; merge(y, y_rev)
      f = recurrent(rnn, bi.directionPrefix("forward"), w, x, lengths, null, true, true);
      b = recurrent(rnn, bi.directionPrefix("backward"), w, x, lengths, null, false, false);
      merged = merge(bi.mergeMode(), f[0], rnn.returnSequences() ? reverseWithin(b[0], lengths) : b[0]);
    } else {
      f = recurrent(rnn, bi.directionPrefix("forward"), w, x, lengths, initialStates(bi, rnn, "forward_", inputs), false, false);
      // backward: reads L-1 … 0, its sequence output aligned with input time
      b = recurrent(rnn, bi.directionPrefix("backward"), w, x, lengths, initialStates(bi, rnn, "backward_", inputs), true, false);
      merged = merge(bi.mergeMode(), f[0], b[0]);
    }
    int states = rnn.returnState() ? rnn.states().size() : 0;
    Tensor[] out = new Tensor[1 + 2 * states];
    out[0] = merged;
    for (int s = 0; s < states; s++) {
      out[1 + s] = f[1 + s];
      out[1 + states + s] = b[1 + s];
    }
    return out;
  }

  /** Each sequence of {@code y [B, T, H]} reversed within its length (all T without lengths); zeros past it stay. */
  private static Tensor reverseWithin(Tensor y, int[] lengths) {
    int batch = (int) y.shape[0];
    int time = (int) y.shape[1];
    int h = (int) y.shape[2];
    double[] out = new double[y.data.length];
    for (int n = 0; n < batch; n++) {
      int len = lengths == null ? time : lengths[n];
      for (int t = 0; t < len; t++) {
        System.arraycopy(y.data, (n * time + len - 1 - t) * h, out, (n * time + t) * h, h);
      }
    }
    return new Tensor(y.shape.clone(), out);
  }

  private static Tensor merge(MergeMode mode, Tensor f, Tensor b) {
    long[] shape = f.shape.clone();
    int h = (int) shape[shape.length - 1];
    int rows = f.data.length / h;
    if (mode == MergeMode.CONCAT) {
      shape[shape.length - 1] = 2L * h;
      double[] out = new double[2 * f.data.length];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(f.data, r * h, out, 2 * r * h, h);
        System.arraycopy(b.data, r * h, out, 2 * r * h + h, h);
      }
      return new Tensor(shape, out);
    }
    double[] out = new double[f.data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = mode.merge(f.data[i], b.data[i]);
    }
    return new Tensor(shape, out);
  }

  /**
   * One recurrent layer over {@code x [B, T, in]}.
   *
   * @param prefix its parameters' prefix, e.g. {@code gru/} or {@code bi/backward/}
   * @param init its initial states per state name (each {@code [B·H]}), or null for zeros
   * @param backwards read L−1 … 0
   * @param processingOrder place sequence outputs in processing order (go_backwards) rather than at
   *     the input step they were computed at (a bidirectional layer's backward half)
   * @return the output, then the final states in {@link RecurrentLayer#states()} order
   */
  static Tensor[] recurrent(RecurrentLayer rnn, String prefix, Weights w, Tensor x, int[] lengths, double[][] init,
      boolean backwards, boolean processingOrder) {
    int batch = (int) x.shape[0];
    int time = (int) x.shape[1];
    int in = (int) x.shape[2];
    int h = rnn.units();
    int g = rnn.gates() * h;
    double[] k = toDouble(w.get(prefix + "kernel").data());
    double[] u = toDouble(w.get(prefix + "recurrent_kernel").data());
    double[] bias = rnn.useBias() ? toDouble(w.get(prefix + "bias").data()) : new double[g];
    double[] inputBias = java.util.Arrays.copyOf(bias, g);
    double[] recurrentBias = bias.length == 2 * g ? java.util.Arrays.copyOfRange(bias, g, 2 * g) : new double[g];
    double[] peephole = rnn instanceof Lstm l && l.peephole() ? toDouble(w.get(prefix + "peephole").data()) : new double[3 * h];
    int nStates = rnn.states().size();
    double[] seq = new double[batch * time * h];
    double[][] finals = new double[nStates][batch * h];
    for (int n = 0; n < batch; n++) {
      double[] hs = new double[h];
      double[] cs = new double[h];
      if (init != null) {
        System.arraycopy(init[0], n * h, hs, 0, h);
        if (nStates == 2) {
          System.arraycopy(init[1], n * h, cs, 0, h);
        }
      }
      int len = lengths[n];
      for (int step = 0; step < len; step++) {
        int t = backwards ? len - 1 - step : step;
        double[] xt = new double[in];
        System.arraycopy(x.data, (n * time + t) * in, xt, 0, in);
        double[] zx = affine(xt, k, inputBias, in, g); // x·K + b
        double[] zh = affine(hs, u, recurrentBias, h, g); // h·U + b'
        if (rnn instanceof SimpleRnn r) {
          for (int j = 0; j < h; j++) {
            hs[j] = r.activation().apply(zx[j] + zh[j]);
          }
        } else if (rnn instanceof Lstm l) {
          Activation ra = l.recurrentActivation();
          Activation a = l.activation();
          for (int j = 0; j < h; j++) {
            double ig = ra.apply(zx[j] + zh[j] + peephole[j] * cs[j]);
            double fg = ra.apply(zx[h + j] + zh[h + j] + peephole[h + j] * cs[j]);
            double cand = a.apply(zx[2 * h + j] + zh[2 * h + j]);
            cs[j] = fg * cs[j] + ig * cand;
            double og = ra.apply(zx[3 * h + j] + zh[3 * h + j] + peephole[2 * h + j] * cs[j]);
            hs[j] = og * a.apply(cs[j]);
          }
        } else {
          Gru gru = (Gru) rnn;
          Activation ra = gru.recurrentActivation();
          Activation a = gru.activation();
          double[] z = new double[h];
          double[] r = new double[h];
          for (int j = 0; j < h; j++) {
            z[j] = ra.apply(zx[j] + zh[j]);
            r[j] = ra.apply(zx[h + j] + zh[h + j]);
          }
          double[] cand = new double[h];
          if (gru.resetAfter()) {
            for (int j = 0; j < h; j++) {
              cand[j] = a.apply(zx[2 * h + j] + r[j] * zh[2 * h + j]);
            }
          } else {
            double[] rh = new double[h];
            for (int j = 0; j < h; j++) {
              rh[j] = r[j] * hs[j];
            }
            for (int j = 0; j < h; j++) {
              double acc = zx[2 * h + j];
              for (int i = 0; i < h; i++) {
                acc += rh[i] * u[i * g + 2 * h + j];
              }
              cand[j] = a.apply(acc);
            }
          }
          for (int j = 0; j < h; j++) {
            hs[j] = z[j] * hs[j] + (1 - z[j]) * cand[j];
          }
        }
        int position = processingOrder ? step : t;
        System.arraycopy(hs, 0, seq, (n * time + position) * h, h);
      }
      System.arraycopy(hs, 0, finals[0], n * h, h);
      if (nStates == 2) {
        System.arraycopy(cs, 0, finals[1], n * h, h);
      }
    }
    Tensor[] out = new Tensor[1 + nStates];
    out[0] = rnn.returnSequences() ? new Tensor(new long[] {batch, time, h}, seq) : new Tensor(new long[] {batch, h}, finals[0]);
    for (int s = 0; s < nStates; s++) {
      out[1 + s] = new Tensor(new long[] {batch, h}, finals[s]);
    }
    return out;
  }

  /** {@code v · m + b} for {@code v [n]}, {@code m [n, g]}. */
  private static double[] affine(double[] v, double[] m, double[] b, int n, int g) {
    double[] z = b.clone();
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < g; c++) {
        z[c] += v[i] * m[i * g + c];
      }
    }
    return z;
  }

  static Tensor embedding(Embedding e, Weights w, LongTensor ids) {
    double[] table = toDouble(w.get(e.name() + "/embeddings").data());
    int d = e.outputDim();
    long[] idData = ids.data();
    double[] out = new double[idData.length * d];
    for (int i = 0; i < idData.length; i++) {
      System.arraycopy(table, (int) idData[i] * d, out, i * d, d);
    }
    return new Tensor(new long[] {ids.dim(0), ids.dim(1), d}, out);
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
        y[r * u + j] = d.activation() == Activation.SOFTMAX ? acc : d.activation().apply(acc);
      }
      if (d.activation() == Activation.SOFTMAX) {
        Activation.softmaxInPlace(y, r * u, u);
      }
    }
    long[] shape = x.shape.clone();
    shape[shape.length - 1] = u;
    return new Tensor(shape, y);
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}

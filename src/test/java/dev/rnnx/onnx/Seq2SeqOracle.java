package dev.rnnx.onnx;

import static dev.rnnx.onnx.KerasOracle.toDouble;

import dev.rnnx.onnx.KerasOracle.Tensor;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.Arrays;

/**
 * A double-precision seq2seq model written from the {@link Seq2Seq}, {@link RnnDecoder} and
 * {@link TransformerStack} Javadoc, one sequence and one step at a time, independent of the
 * exporter: the recurrent cells come from {@link KerasOracle} (Keras gate order, canonical
 * weights), attention and Transformer blocks from {@link AttentionOracle}.
 *
 * <pre>
 * rnn encoder     memory = the cell's outputs over L steps (0 past L), states after step L−1
 * rnn step        c = Σ_j softmax_j(score(h_{t−1}, m_j)) m_j over j &lt; L; s_t = cell([E[y]; c], s_{t−1});
 *                 log p = log_softmax([h_t; c] · W_o + b_o)   (no attention: no c)
 * transformer     encoder blocks on E[x]·√E + PE (source padding); decoder blocks on E[y]·√E + PE
 *                 (causal self-attention, cross-attention with source padding); log_softmax(· W_o + b_o)
 * teacher forcing log_probs[t] = step(target[t]) from the encoder's state, t = 0 … T−1
 * greedy          from BOS, argmax (lowest id on ties) for max_target_length steps; PAD after EOS
 * </pre>
 */
final class Seq2SeqOracle {

  private final Seq2Seq model;
  private final Weights w;

  Seq2SeqOracle(Seq2Seq model, Weights w) {
    this.model = model;
    this.w = w;
  }

  /** An encoder's result: memory [B, S, H|E] and the states [B][H] (h, and c for LSTM; none for Transformers). */
  record Encoded(Tensor memory, double[][] h, double[][] c) {}

  /** A decoder step's result. */
  record Step(double[][] logProbs, double[][] h, double[][] c, double[][] attention) {}

  private Tensor embed(String table, long[][] ids) {
    int e = model.embeddingDim();
    double[] t = toDouble(w.get(table).data());
    int b = ids.length;
    int len = ids[0].length;
    double[] out = new double[b * len * e];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < len; j++) {
        System.arraycopy(t, (int) ids[i][j] * e, out, (i * len + j) * e, e);
      }
    }
    return new Tensor(new long[] {b, len, e}, out);
  }

  private RecurrentLayer cell(String name) {
    RnnEncoder enc = (RnnEncoder) model.encoder();
    return enc.cell() == Cell.LSTM ? Lstm.builder(name, enc.units()).returnSequences(true).returnState(true).build()
        : Gru.builder(name, enc.units()).resetAfter(true).returnSequences(true).returnState(true).build();
  }

  private static double[][] rows(Tensor t) {
    int b = (int) t.shape()[0];
    int h = (int) t.shape()[t.shape().length - 1];
    double[][] r = new double[b][];
    for (int i = 0; i < b; i++) {
      r[i] = Arrays.copyOfRange(t.data(), i * h, (i + 1) * h);
    }
    return r;
  }

  private static double[] flat(double[][] rows) {
    return Arrays.stream(rows).flatMapToDouble(Arrays::stream).toArray();
  }

  Encoded encode(long[][] source, int[] lengths) {
    if (model.recurrent()) {
      Tensor[] r = KerasOracle.recurrent(cell("encoder"), "encoder/", w, embed("source_embedding/embeddings", source), lengths,
          null, false, false);
      return new Encoded(r[0], rows(r[1]), r.length > 2 ? rows(r[2]) : null);
    }
    TransformerStack enc = (TransformerStack) model.encoder();
    Tensor x = AttentionOracle.positionalEncoding(embed("source_embedding/embeddings", source), model.maxSourceLength(), true);
    for (int i = 0; i < enc.layers(); i++) {
      x = AttentionOracle.encoderBlock("encoder/block_" + i, enc.heads(), enc.epsilon(), false, w, x, lengths);
    }
    return new Encoded(x, null, null);
  }

  /** One recurrent decoder step for a batch. */
  Step step(long[] tokens, double[][] h, double[][] c, Tensor memory, int[] lengths) {
    RnnDecoder dec = (RnnDecoder) model.decoder();
    int b = tokens.length;
    int units = dec.units();
    long[][] ids = new long[b][1];
    for (int i = 0; i < b; i++) {
      ids[i][0] = tokens[i];
    }
    Tensor e = embed("target_embedding/embeddings", ids);
    double[][] context = null;
    double[][] attention = null;
    int inWidth = model.embeddingDim();
    if (dec.attends()) {
      int s = (int) memory.shape()[1];
      context = new double[b][units];
      attention = new double[b][s];
      for (int i = 0; i < b; i++) {
        double[] scores = new double[s];
        for (int j = 0; j < s; j++) {
          scores[j] = AttentionOracle.score(dec.attention(), "attention", w, h[i], AttentionOracle.row(memory, i, j));
        }
        attention[i] = AttentionOracle.softmax(scores, AttentionOracle.visible(0, s, lengths[i], false));
        for (int j = 0; j < s; j++) {
          for (int k = 0; k < units; k++) {
            context[i][k] += attention[i][j] * memory.data()[(i * s + j) * units + k];
          }
        }
      }
      inWidth += units;
    }
    double[] x = new double[b * inWidth];
    for (int i = 0; i < b; i++) {
      System.arraycopy(e.data(), i * model.embeddingDim(), x, i * inWidth, model.embeddingDim());
      if (context != null) {
        System.arraycopy(context[i], 0, x, i * inWidth + model.embeddingDim(), units);
      }
    }
    int[] one = new int[b];
    Arrays.fill(one, 1);
    double[][] init = c != null ? new double[][] {flat(h), flat(c)} : new double[][] {flat(h)};
    RecurrentLayer cell = cell("decoder");
    RecurrentLayer withInit = cell instanceof Lstm l ? Lstm.builder("decoder", units).returnSequences(true).returnState(true)
        .stateInputs(true).build() : Gru.builder("decoder", units).resetAfter(true).returnSequences(true).returnState(true)
        .stateInputs(true).build();
    Tensor[] r = KerasOracle.recurrent(withInit, "decoder/", w, new Tensor(new long[] {b, 1, inWidth}, x), one, init, false,
        false);
    double[][] h1 = rows(r[1]);
    double[][] c1 = r.length > 2 ? rows(r[2]) : null;
    double[][] features = new double[b][];
    for (int i = 0; i < b; i++) {
      features[i] = context == null ? h1[i] : concat(h1[i], context[i]);
    }
    return new Step(logSoftmax(project(features)), h1, c1, attention);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  private double[][] project(double[][] features) {
    double[] k = toDouble(w.get("output/kernel").data());
    double[] bias = toDouble(w.get("output/bias").data());
    int v = bias.length;
    double[][] out = new double[features.length][v];
    for (int i = 0; i < features.length; i++) {
      for (int j = 0; j < v; j++) {
        double acc = bias[j];
        for (int f = 0; f < features[i].length; f++) {
          acc += features[i][f] * k[f * v + j];
        }
        out[i][j] = acc;
      }
    }
    return out;
  }

  private static double[][] logSoftmax(double[][] logits) {
    double[][] out = new double[logits.length][];
    for (int i = 0; i < logits.length; i++) {
      double max = Arrays.stream(logits[i]).max().orElseThrow();
      double sum = 0;
      for (double l : logits[i]) {
        sum += Math.exp(l - max);
      }
      double log = Math.log(sum) + max;
      out[i] = Arrays.stream(logits[i]).map(l -> l - log).toArray();
    }
    return out;
  }

  /** The Transformer decoder on target prefixes [B, T] → log_probs [B][T][V]. */
  double[][][] decodeTransformer(long[][] target, Tensor memory, int[] lengths) {
    TransformerStack dec = (TransformerStack) model.decoder();
    Tensor y = AttentionOracle.positionalEncoding(embed("target_embedding/embeddings", target), model.maxTargetLength(), true);
    for (int i = 0; i < dec.layers(); i++) {
      y = AttentionOracle.decoderBlock("decoder/block_" + i, dec.heads(), dec.epsilon(), w, y, memory, lengths);
    }
    int b = target.length;
    int t = target[0].length;
    double[][][] out = new double[b][t][];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        out[i][j] = logSoftmax(project(new double[][] {AttentionOracle.row(y, i, j)}))[0];
      }
    }
    return out;
  }

  /** Teacher forcing: log_probs [B][T][V]. */
  double[][][] training(long[][] source, int[] lengths, long[][] target) {
    Encoded enc = encode(source, lengths);
    if (!model.recurrent()) {
      return decodeTransformer(target, enc.memory, lengths);
    }
    int b = target.length;
    int t = target[0].length;
    double[][][] out = new double[b][t][];
    double[][] h = enc.h;
    double[][] c = enc.c;
    for (int j = 0; j < t; j++) {
      long[] tokens = new long[b];
      for (int i = 0; i < b; i++) {
        tokens[i] = target[i][j];
      }
      Step s = step(tokens, h, c, enc.memory, lengths);
      for (int i = 0; i < b; i++) {
        out[i][j] = s.logProbs[i];
      }
      h = s.h;
      c = s.c;
    }
    return out;
  }

  /** Greedy decoding: tokens [B][max_target_length]. */
  long[][] greedy(long[][] source, int[] lengths) {
    Encoded enc = encode(source, lengths);
    int b = source.length;
    int max = model.maxTargetLength();
    long[][] tokens = new long[b][max];
    boolean[] done = new boolean[b];
    long[] previous = new long[b];
    Arrays.fill(previous, SpecialTokens.BOS);
    double[][] h = enc.h;
    double[][] c = enc.c;
    for (int t = 0; t < max; t++) {
      double[][] logProbs;
      if (model.recurrent()) {
        Step s = step(previous, h, c, enc.memory, lengths);
        logProbs = s.logProbs;
        h = s.h;
        c = s.c;
      } else {
        long[][] prefix = new long[b][t + 1];
        for (int i = 0; i < b; i++) {
          prefix[i][0] = SpecialTokens.BOS;
          System.arraycopy(tokens[i], 0, prefix[i], 1, t);
        }
        double[][][] all = decodeTransformer(prefix, enc.memory, lengths);
        logProbs = new double[b][];
        for (int i = 0; i < b; i++) {
          logProbs[i] = all[i][t];
        }
      }
      for (int i = 0; i < b; i++) {
        long best = argmax(logProbs[i]);
        tokens[i][t] = done[i] ? SpecialTokens.PAD : best;
        previous[i] = tokens[i][t];
        done[i] |= tokens[i][t] == SpecialTokens.EOS;
      }
    }
    return tokens;
  }

  /** The lowest index of the largest value. */
  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}

package dev.rnnx.ref;

import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recurrent half of {@link RefSeq2Seq}. The encoder runs its cell ({@link Lstm} or {@link Gru} with {@code reset_after},
 * Keras's default activations) over the embedded source, reading each sequence to its length:
 * {@code memory [B, S, H]} is zero past L, the final state is the state after step L−1. A decoder
 * step reads a token: without attention {@code s_t = cell(E_t[y], s_{t−1})},
 * {@code log_probs = log_softmax(h_t · W_o + b_o)}; with attention (Bahdanau's ordering) the
 * previous {@code h} scores the memory ({@link ScoreFunction}, keys past the source length get
 * zero weight), {@code c_t = Σ_j α_j m_j}, {@code s_t = cell([E_t[y]; c_t], s_{t−1})},
 * {@code log_probs = log_softmax([h_t; c_t] · W_o + b_o)}. The decoder starts from the encoder's
 * final state.
 */
final class RnnSeq2SeqForward {

  private final Seq2Seq spec;
  private final Weights weights;

  RnnSeq2SeqForward(Seq2Seq spec, Weights weights) {
    this.spec = spec;
    this.weights = weights;
  }

  /** The encoder over the embedded source {@code x [B, S, E]}: memory {@code [B, S, H]} and the final states. */
  RefSeq2Seq.Encoded encode(DoubleTensor x, int[] lengths) {
    int batch = x.dim(0);
    int steps = x.dim(1);
    RnnEncoder e = (RnnEncoder) spec.encoder();
    RecurrentCell cell = RecurrentCell.of(layer("encoder", e.cell(), e.units()), "encoder/", weights, spec.embeddingDim());
    RecurrentRun.Result r = RecurrentRun.run(cell, x, lengths, null, false, true, "forward", null);
    List<DoubleTensor> states = new ArrayList<>();
    for (double[] f : r.finals()) {
      states.add(new DoubleTensor(new long[] {batch, e.units()}, f));
    }
    return new RefSeq2Seq.Encoded(new DoubleTensor(new long[] {batch, steps, e.units()}, r.sequence()), states);
  }

  /** The decoder-step form on checked inputs: {@code log_probs}, the new states and the attention weights. */
  Map<String, DoubleTensor> decoderStep(RefSeq2Seq.In in) {
    RnnDecoder d = (RnnDecoder) spec.decoder();
    Cell cell = d.cell();
    int batch = (int) in.longs("token").dim(0);
    int h = d.units();
    List<double[]> states = new ArrayList<>();
    for (String s : cell.states()) {
      states.add(in.doubles("state_" + s).data());
    }
    DoubleTensor memory = d.attends() ? in.doubles("memory") : null;
    int[] lengths = d.attends() ? in.ints("source_lengths") : null;
    int sourceSteps = d.attends() ? memory.dim(1) : 0;
    int v = spec.targetVocabulary();
    double[] logProbs = new double[batch * v];
    double[][] newStates = new double[states.size()][batch * h];
    double[] attention = d.attends() ? new double[batch * sourceSteps] : null;
    DecoderCell dec = new DecoderCell();
    long[] tokens = in.longs("token").data();
    for (int b = 0; b < batch; b++) {
      double[][] st = new double[states.size()][];
      for (int s = 0; s < st.length; s++) {
        st[s] = Arrays.copyOfRange(states.get(s), b * h, (b + 1) * h);
      }
      double[] alpha = d.attends() ? new double[sourceSteps] : null;
      double[] lp = dec.step((int) tokens[b], st, memory == null ? null : memory.data(), b * sourceSteps * h, sourceSteps,
          lengths == null ? 0 : lengths[b], alpha);
      System.arraycopy(lp, 0, logProbs, b * v, v);
      for (int s = 0; s < st.length; s++) {
        System.arraycopy(st[s], 0, newStates[s], b * h, h);
      }
      if (alpha != null) {
        System.arraycopy(alpha, 0, attention, b * sourceSteps, sourceSteps);
      }
    }
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    out.put("log_probs", new DoubleTensor(new long[] {batch, v}, logProbs));
    for (int s = 0; s < newStates.length; s++) {
      out.put("new_state_" + cell.states().get(s), new DoubleTensor(new long[] {batch, h}, newStates[s]));
    }
    if (attention != null) {
      out.put("attention", new DoubleTensor(new long[] {batch, sourceSteps}, attention));
    }
    return out;
  }

  /** A new decoder cell (scratch space for one computation). */
  DecoderCell newCell() {
    return new DecoderCell();
  }

  /**
   * Greedy decoding of the sequences {@code [from, to)} together, as {@link dev.rnnx.decode.Greedy}
   * decodes each alone: per step, the running sequences' cell products and output projection are
   * row products ({@link RecurrentCell#stepRows}, {@link RefKernels#multiplyAddSerial}) instead of
   * one single-row product per sequence. Each row's sums keep the one-sequence order, so the
   * tokens and every value on the way are the same bits.
   *
   * @param tokens receives {@code [B, max]} tokens, EOS included, zero (PAD) after
   */
  void greedyRows(RefSeq2Seq.Encoded encoded, int[] lengths, int max, int from, int to, double[] tokens) {
    DecoderCell dec = new DecoderCell();
    int rows = to - from;
    int h = dec.h;
    int v = spec.targetVocabulary();
    double[][] states = new double[encoded.states().size()][];
    for (int s = 0; s < states.length; s++) {
      states[s] = Arrays.copyOfRange(encoded.states().get(s).data(), from * h, to * h);
    }
    double[] memory = dec.d.attends() ? encoded.memory().data() : null;
    int steps = dec.d.attends() ? encoded.memory().dim(1) : 0;
    double[][] keys = new double[rows][];
    int[] token = new int[rows];
    Arrays.fill(token, dev.rnnx.spec.SpecialTokens.BOS);
    int[] active = RefKernels.identity(rows);
    int n = rows;
    double[] x = new double[rows * dec.cell.in];
    double[] features = new double[rows * dec.outWidth];
    double[] logits = new double[rows * v];
    RecurrentCell.Rows scratch = dec.cell.rowScratch(rows);
    double[][] outScratch = RefKernels.scratch(v);
    for (int t = 0; t < max && n > 0; t++) {
      for (int a = 0; a < n; a++) {
        int i = active[a];
        int b = from + i;
        double[] context = null;
        if (memory != null) {
          if (keys[i] == null) {
            keys[i] = dec.score.prepareKeys(memory, b * steps * h, steps);
          }
          context = dec.attend(states[0], i * h, memory, b * steps * h, keys[i], steps, lengths[b], null);
        }
        dec.input(token[i], context, x, i * dec.cell.in);
      }
      dec.cell.stepRows(x, active, n, states, scratch);
      for (int a = 0; a < n; a++) {
        int i = active[a];
        System.arraycopy(states[0], i * h, features, a * dec.outWidth, h);
        if (memory != null) {
          System.arraycopy(x, i * dec.cell.in + dec.e, features, a * dec.outWidth + h, h);
        }
        System.arraycopy(dec.outBias, 0, logits, a * v, v);
      }
      if (dec.outFinite) {
        RefKernels.multiplyAddSerial(features, n, dec.outWidth, dec.outRows(), v, logits, outScratch);
      } else {
        // a non-finite weight: the single-row product's zero-skipping loop, row by row
        for (int a = 0; a < n; a++) {
          double[] row = RefMath.linear(Arrays.copyOfRange(features, a * dec.outWidth, (a + 1) * dec.outWidth), 1,
              dec.outWidth, dec.outKernel, v, dec.outBias);
          System.arraycopy(row, 0, logits, a * v, v);
        }
      }
      int next = 0;
      for (int a = 0; a < n; a++) {
        int i = active[a];
        RefMath.logSoftmax(logits, a * v, v);
        int best = dev.rnnx.decode.Greedy.argmax(Arrays.copyOfRange(logits, a * v, (a + 1) * v));
        tokens[(from + i) * max + t] = best;
        token[i] = best;
        if (best != dev.rnnx.spec.SpecialTokens.EOS) {
          active[next++] = i;
        }
      }
      n = next;
    }
  }

  /** One RNN decoder step on the canonical parameters; scratch space, one per computation. */
  final class DecoderCell {
    private final RnnDecoder d = (RnnDecoder) spec.decoder();
    private final int h = d.units();
    private final int e = spec.embeddingDim();
    private final RecurrentCell cell = RecurrentCell.of(layer("decoder", d.cell(), h), "decoder/", weights,
        e + (d.attends() ? h : 0));
    private final ScoreFunction score = d.attends() ? new ScoreFunction(d.attention(), "attention", weights, h, h,
        d.attentionUnits()) : null;
    private final double[] table = RecurrentCell.param(weights, "target_embedding/embeddings", spec.targetVocabulary() * e);
    private final int outWidth = d.attends() ? 2 * h : h;
    private final double[] outKernel = RecurrentCell.param(weights, "output/kernel", outWidth * spec.targetVocabulary());
    private final double[] outBias = RecurrentCell.param(weights, "output/bias", spec.targetVocabulary());
    private final boolean outFinite = RefKernels.finite(outKernel);
    private double[][] outRows;

    /**
     * Reads {@code token}, updating {@code states} in place.
     *
     * @param memory the memory rows of this sequence at {@code memOff}, {@code steps × H}
     * @param length the valid memory steps
     * @param alpha receives the attention weights ({@code steps} values) when non-null
     * @return the log-probabilities of the next token
     */
    double[] step(int token, double[][] states, double[] memory, int memOff, int steps, int length, double[] alpha) {
      double[] x = new double[e + (d.attends() ? h : 0)];
      double[] context = null;
      if (d.attends()) {
        context = attend(states[0], 0, memory, memOff, score.prepareKeys(memory, memOff, steps), steps, length, alpha);
      }
      input(token, context, x, 0);
      cell.step(x, 0, states, null);
      double[] features = new double[outWidth];
      System.arraycopy(states[0], 0, features, 0, h);
      if (context != null) {
        System.arraycopy(context, 0, features, h, h);
      }
      double[] logits = RefMath.linear(features, 1, outWidth, outKernel, spec.targetVocabulary(), outBias);
      RefMath.logSoftmax(logits, 0, logits.length);
      return logits;
    }

    /** The cell's input {@code [E[token]; context]} at {@code x[off …]}; no context without attention. */
    void input(int token, double[] context, double[] x, int off) {
      System.arraycopy(table, token * e, x, off, e);
      if (context != null) {
        System.arraycopy(context, 0, x, off + e, h);
      }
    }

    /**
     * The context {@code Σ_j α_j m_j} of the query {@code states0[qOff … qOff+H)} over the memory
     * rows at {@code memOff} with their prepared keys; {@code alpha} receives the weights when non-null.
     */
    double[] attend(double[] states0, int qOff, double[] memory, int memOff, double[] keys, int steps, int length,
        double[] alpha) {
      double[] a = alpha != null ? alpha : new double[steps];
      score.scores(states0, qOff, keys, steps, a, 0);
      RefMath.maskedSoftmax(a, 0, steps, length);
      double[] context = new double[h];
      for (int j = 0; j < length; j++) {
        for (int k = 0; k < h; k++) {
          context[k] += a[j] * memory[memOff + j * h + k];
        }
      }
      return context;
    }

    /** The output kernel as row arrays ({@link RefKernels#rowsOf}), made on first use. */
    double[][] outRows() {
      if (outRows == null) {
        outRows = RefKernels.rowsOf(outKernel, outWidth, spec.targetVocabulary());
      }
      return outRows;
    }
  }

  /** The recurrent layer whose canonical cell a seq2seq encoder or decoder runs. */
  private static RecurrentLayer layer(String name, Cell cell, int units) {
    return cell == Cell.LSTM ? Lstm.builder(name, units).returnSequences(true).returnState(true).build()
        : Gru.builder(name, units).resetAfter(true).returnSequences(true).returnState(true).build();
  }
}

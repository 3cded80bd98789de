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
      System.arraycopy(table, token * e, x, 0, e);
      double[] context = null;
      if (d.attends()) {
        double[] a = alpha != null ? alpha : new double[steps];
        double[] keys = score.prepareKeys(memory, memOff, steps);
        score.scores(states[0], 0, keys, steps, a, 0);
        RefMath.maskedSoftmax(a, 0, steps, length);
        context = new double[h];
        for (int j = 0; j < length; j++) {
          for (int k = 0; k < h; k++) {
            context[k] += a[j] * memory[memOff + j * h + k];
          }
        }
        System.arraycopy(context, 0, x, e, h);
      }
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
  }

  /** The recurrent layer whose canonical cell a seq2seq encoder or decoder runs. */
  private static RecurrentLayer layer(String name, Cell cell, int units) {
    return cell == Cell.LSTM ? Lstm.builder(name, units).returnSequences(true).returnState(true).build()
        : Gru.builder(name, units).resetAfter(true).returnSequences(true).returnState(true).build();
  }
}

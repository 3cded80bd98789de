package dev.rnnx.ref;

import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.Greedy;
import dev.rnnx.decode.Step;
import dev.rnnx.spec.Cell;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.RnnDecoder;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference forward of a {@link Seq2Seq} model in double precision, every form of
 * {@link Seq2Seq#forms()}, plus greedy decoding and {@link BeamSearch} on the same decoder.
 *
 * <p><b>RNN.</b> The encoder runs its cell ({@link Lstm} or {@link Gru} with {@code reset_after},
 * Keras's default activations) over the embedded source, reading each sequence to its length:
 * {@code memory [B, S, H]} is zero past L, the final state is the state after step L−1. A decoder
 * step reads a token: without attention {@code s_t = cell(E_t[y], s_{t−1})},
 * {@code log_probs = log_softmax(h_t · W_o + b_o)}; with attention (Bahdanau's ordering) the
 * previous {@code h} scores the memory ({@link ScoreFunction}, keys past the source length get
 * zero weight), {@code c_t = Σ_j α_j m_j}, {@code s_t = cell([E_t[y]; c_t], s_{t−1})},
 * {@code log_probs = log_softmax([h_t; c_t] · W_o + b_o)}. The decoder starts from the encoder's
 * final state.
 *
 * <p><b>Transformer.</b> Embeddings times √E plus the sinusoidal signal (tables of
 * {@code max_source_length} and {@code max_target_length} steps: longer inputs are refused); encoder
 * blocks with the source padding mask; decoder blocks of causal self-attention, cross-attention on
 * the memory (source padding masked) and the feed-forward part, each residual plus post-norm;
 * {@code log_probs = log_softmax(x · W_o + b_o)}. Memory steps past the source length are computed
 * like any other (and masked wherever they are read). A decoder step runs the decoder on the prefix
 * and returns the last position.
 *
 * <p><b>Training form:</b> {@code target} is the teacher-forcing decoder input (BOS first); every
 * one of its T ≤ {@code max_target_length} positions is decoded, padding included.
 * <b>Greedy:</b> from BOS, the argmax (ties to the lowest id) is read back until EOS or
 * {@code max_target_length} tokens; {@code tokens} holds them, EOS included, PAD after. Sources
 * longer than {@code max_source_length} are refused in every form.
 */
public final class RefSeq2Seq {

  private final Seq2Seq spec;
  private final Weights weights;

  /**
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public RefSeq2Seq(Seq2Seq spec, Weights weights) {
    this.spec = spec;
    this.weights = weights.checkFits(spec);
  }

  /** The model it computes. */
  public Seq2Seq spec() {
    return spec;
  }

  /** Every form by name, in {@link Seq2Seq#forms()} order. */
  public Map<String, ReferenceForm> forms() {
    Map<String, ReferenceForm> m = new LinkedHashMap<>();
    m.put(ModelForm.TRAINING, this::trainingForm);
    m.put(ModelForm.ENCODER, this::encoderForm);
    m.put(ModelForm.DECODER_STEP, this::decoderStepForm);
    m.put(ModelForm.GREEDY_DECODER, this::greedyForm);
    return m;
  }

  // ---- the forms -----------------------------------------------------------------------------------

  private Map<String, DoubleTensor> trainingForm(Map<String, ? extends Tensor> inputs) {
    In in = check(ModelForm.TRAINING, inputs);
    return Map.of("log_probs", training(in.longs("source"), in.longs("source_lengths"), in.longs("target")));
  }

  private Map<String, DoubleTensor> encoderForm(Map<String, ? extends Tensor> inputs) {
    In in = check(ModelForm.ENCODER, inputs);
    Encoded e = encode(in.longs("source"), in.longs("source_lengths"));
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    out.put("memory", e.memory());
    for (int s = 0; s < e.states().size(); s++) {
      out.put("state_" + ((RnnEncoder) spec.encoder()).cell().states().get(s), e.states().get(s));
    }
    return out;
  }

  private Map<String, DoubleTensor> decoderStepForm(Map<String, ? extends Tensor> inputs) {
    In in = check(ModelForm.DECODER_STEP, inputs);
    if (spec.decoder() instanceof RnnDecoder d) {
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
      RnnDecoderCell dec = new RnnDecoderCell();
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
    DoubleTensor memory = in.doubles("memory");
    LongTensor target = in.longs("target");
    DoubleTensor all = transformerDecode(target, memory, in.ints("source_lengths"));
    int batch = all.dim(0);
    int time = all.dim(1);
    int v = all.dim(2);
    double[] last = new double[batch * v];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(all.data(), (b * time + time - 1) * v, last, b * v, v);
    }
    return Map.of("log_probs", new DoubleTensor(new long[] {batch, v}, last));
  }

  private Map<String, DoubleTensor> greedyForm(Map<String, ? extends Tensor> inputs) {
    In in = check(ModelForm.GREEDY_DECODER, inputs);
    return Map.of("tokens", greedy(in.longs("source"), in.longs("source_lengths")));
  }

  /** A form's inputs, checked against its contract. */
  private In check(String form, Map<String, ? extends Tensor> inputs) {
    spec.form(form).contract().check(inputs);
    return new In(inputs);
  }

  /** Checked inputs, typed. */
  private record In(Map<String, ? extends Tensor> inputs) {

    LongTensor longs(String name) {
      return (LongTensor) inputs.get(name);
    }

    int[] ints(String name) {
      return longs(name).toIntArray();
    }

    DoubleTensor doubles(String name) {
      return DoubleTensor.of((dev.rnnx.spec.FloatTensor) inputs.get(name));
    }
  }

  // ---- the computations ----------------------------------------------------------------------------

  /**
   * The encoder's outputs.
   *
   * @param memory {@code [B, S, H]} (RNN, zero past each length) or {@code [B, S, E]} (Transformer)
   * @param states the RNN's final states ({@code h}, then {@code c} for an LSTM), {@code [B, H]}
   *     each; empty for a Transformer
   */
  public record Encoded(DoubleTensor memory, List<DoubleTensor> states) {

    /** Copies the list. */
    public Encoded {
      states = List.copyOf(states);
    }
  }

  /** Runs the encoder on unchecked inputs (the forms check them). */
  public Encoded encode(LongTensor source, LongTensor sourceLengths) {
    int batch = (int) source.dim(0);
    int steps = (int) source.dim(1);
    int[] lengths = sourceLengths.toIntArray();
    DoubleTensor x = embed(source, "source_embedding/embeddings", spec.sourceVocabulary());
    if (spec.encoder() instanceof RnnEncoder e) {
      RecurrentCell cell = RecurrentCell.of(layer("encoder", e.cell(), e.units()), "encoder/", weights, spec.embeddingDim());
      RecurrentRun.Result r = RecurrentRun.run(cell, x, lengths, null, false, true, "forward", null);
      List<DoubleTensor> states = new ArrayList<>();
      for (double[] f : r.finals()) {
        states.add(new DoubleTensor(new long[] {batch, e.units()}, f));
      }
      return new Encoded(new DoubleTensor(new long[] {batch, steps, e.units()}, r.sequence()), states);
    }
    TransformerStack t = (TransformerStack) spec.encoder();
    int d = spec.embeddingDim();
    DoubleTensor h = new DoubleTensor(x.shape(),
        PositionalEncodingForward.apply("source", x.data(), batch, steps, d, spec.maxSourceLength(), true));
    for (int i = 0; i < t.layers(); i++) {
      h = TransformerEncoderForward.encoderBlock("encoder/block_" + i, h, lengths, t.heads(), t.ffDim(), t.epsilon(), false,
          weights, null);
    }
    return new Encoded(h, List.of());
  }

  /** The training form on unchecked inputs: {@code log_probs [B, T, V_t]}. */
  public DoubleTensor training(LongTensor source, LongTensor sourceLengths, LongTensor target) {
    Encoded e = encode(source, sourceLengths);
    int[] lengths = sourceLengths.toIntArray();
    if (!spec.recurrent()) {
      return transformerDecode(target, e.memory(), lengths);
    }
    int batch = (int) target.dim(0);
    int time = (int) target.dim(1);
    int v = spec.targetVocabulary();
    double[] out = new double[batch * time * v];
    for (int b = 0; b < batch; b++) {
      int[] read = new int[time];
      for (int t = 0; t < time; t++) {
        read[t] = (int) target.data()[b * time + t];
      }
      double[][] logProbs = decoder(e, lengths, b).follow(read);
      for (int t = 0; t < time; t++) {
        System.arraycopy(logProbs[t], 0, out, (b * time + t) * v, v);
      }
    }
    return new DoubleTensor(new long[] {batch, time, v}, out);
  }

  /** Greedy decoding on unchecked inputs: {@code tokens [B, max_target_length]} as exact integers. */
  public DoubleTensor greedy(LongTensor source, LongTensor sourceLengths) {
    Encoded e = encode(source, sourceLengths);
    int[] lengths = sourceLengths.toIntArray();
    int batch = (int) source.dim(0);
    int max = spec.maxTargetLength();
    double[] tokens = new double[batch * max];
    for (int b = 0; b < batch; b++) {
      int[] produced = Greedy.decode(decoder(e, lengths, b), max);
      for (int t = 0; t < produced.length; t++) {
        tokens[b * max + t] = produced[t];
      }
    }
    return new DoubleTensor(new long[] {batch, max}, tokens);
  }

  /**
   * {@link BeamSearch} for every source sequence, on unchecked inputs.
   *
   * @param width the beam width
   * @param alpha the length-penalty exponent (0: plain log-probability)
   */
  public List<BeamSearch.Result> beamSearch(LongTensor source, LongTensor sourceLengths, int width, double alpha) {
    Encoded e = encode(source, sourceLengths);
    int[] lengths = sourceLengths.toIntArray();
    List<BeamSearch.Result> results = new ArrayList<>();
    for (int b = 0; b < source.dim(0); b++) {
      results.add(BeamSearch.search(decoder(e, lengths, b), width, alpha, spec.maxTargetLength()));
    }
    return results;
  }

  /**
   * The decoder of source sequence {@code b}, one token at a time: RNN states (h, c) or the
   * Transformer prefix as its state.
   */
  public Decoder<Object> decoder(Encoded encoded, int[] sourceLengths, int b) {
    return new SourceDecoder(encoded, sourceLengths, b);
  }

  private final class SourceDecoder implements Decoder<Object> {
    private final Encoded encoded;
    private final int b;
    private final int length;
    private final DoubleTensor memoryRow;
    private final RnnDecoderCell cell;

    SourceDecoder(Encoded encoded, int[] lengths, int b) {
      this.cell = spec.recurrent() ? new RnnDecoderCell() : null;
      this.encoded = encoded;
      this.b = b;
      this.length = lengths[b];
      DoubleTensor m = encoded.memory();
      int rowSize = m.dim(1) * m.dim(2);
      this.memoryRow = new DoubleTensor(new long[] {1, m.dim(1), m.dim(2)},
          Arrays.copyOfRange(m.data(), b * rowSize, (b + 1) * rowSize));
    }

    @Override
    public Object start() {
      if (!spec.recurrent()) {
        return new int[0];
      }
      int h = ((RnnEncoder) spec.encoder()).units();
      double[][] states = new double[encoded.states().size()][];
      for (int s = 0; s < states.length; s++) {
        states[s] = Arrays.copyOfRange(encoded.states().get(s).data(), b * h, (b + 1) * h);
      }
      return states;
    }

    @Override
    public Step<Object> step(Object state, int token) {
      if (spec.recurrent()) {
        double[][] old = (double[][]) state;
        double[][] st = new double[old.length][];
        for (int s = 0; s < st.length; s++) {
          st[s] = old[s].clone();
        }
        double[] lp = cell.step(token, st, memoryRow.data(), 0, memoryRow.dim(1), length, null);
        return new Step<>(lp, st);
      }
      int[] prefix = (int[]) state;
      int[] next = Arrays.copyOf(prefix, prefix.length + 1);
      next[prefix.length] = token;
      long[] ids = new long[next.length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = next[i];
      }
      DoubleTensor all = transformerDecode(LongTensor.of(ids, 1, ids.length), memoryRow, new int[] {length});
      int v = all.dim(2);
      return new Step<>(Arrays.copyOfRange(all.data(), (ids.length - 1) * v, ids.length * v), next);
    }
  }

  /** The Transformer decoder over whole target prefixes {@code [B, T]}: {@code log_probs [B, T, V_t]}. */
  private DoubleTensor transformerDecode(LongTensor target, DoubleTensor memory, int[] sourceLengths) {
    TransformerStack t = (TransformerStack) spec.decoder();
    int batch = (int) target.dim(0);
    int time = (int) target.dim(1);
    int d = spec.embeddingDim();
    DoubleTensor x = embed(target, "target_embedding/embeddings", spec.targetVocabulary());
    DoubleTensor h = new DoubleTensor(x.shape(),
        PositionalEncodingForward.apply("target", x.data(), batch, time, d, spec.maxTargetLength(), true));
    for (int i = 0; i < t.layers(); i++) {
      h = TransformerEncoderForward.decoderBlock("decoder/block_" + i, h, memory, sourceLengths, t.heads(), t.ffDim(), t.epsilon(),
          weights, null);
    }
    int v = spec.targetVocabulary();
    double[] logits = RefMath.dense(h.data(), batch * time, d, weights, "output", v);
    for (int r = 0; r < batch * time; r++) {
      RefMath.logSoftmax(logits, r * v, v);
    }
    return new DoubleTensor(new long[] {batch, time, v}, logits);
  }

  /** One RNN decoder step on the canonical parameters; scratch space, one per computation. */
  private final class RnnDecoderCell {
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

  private DoubleTensor embed(LongTensor ids, String parameter, int vocabulary) {
    int e = spec.embeddingDim();
    double[] table = RecurrentCell.param(weights, parameter, vocabulary * e);
    double[] out = new double[ids.size() * e];
    for (int i = 0; i < ids.size(); i++) {
      System.arraycopy(table, (int) ids.data()[i] * e, out, i * e, e);
    }
    return new DoubleTensor(new long[] {ids.dim(0), ids.dim(1), e}, out);
  }

  /** The recurrent layer whose canonical cell a seq2seq encoder or decoder runs. */
  private static RecurrentLayer layer(String name, Cell cell, int units) {
    return cell == Cell.LSTM ? Lstm.builder(name, units).returnSequences(true).returnState(true).build()
        : Gru.builder(name, units).resetAfter(true).returnSequences(true).returnState(true).build();
  }
}

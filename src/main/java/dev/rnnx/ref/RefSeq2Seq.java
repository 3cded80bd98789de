package dev.rnnx.ref;

import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.Greedy;
import dev.rnnx.decode.Step;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.RnnEncoder;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference forward of a {@link Seq2Seq} model in double precision, every form of
 * {@link Seq2Seq#forms()}, plus greedy decoding and {@link BeamSearch} on the same decoder. This
 * class reads the forms' inputs, embeds the tokens and runs a decoder one token at a time; the
 * encoder and decoder computations are {@link RnnSeq2SeqForward}'s (recurrent) or
 * {@link TransformerSeq2SeqForward}'s.
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
  private final RnnSeq2SeqForward rnn;
  private final TransformerSeq2SeqForward transformer;
  private final TransformerKvCache kvCache;

  /**
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public RefSeq2Seq(Seq2Seq spec, Weights weights) {
    this.spec = spec;
    this.weights = weights.checkFits(spec);
    this.rnn = spec.recurrent() ? new RnnSeq2SeqForward(spec, this.weights) : null;
    this.transformer = spec.recurrent() ? null : new TransformerSeq2SeqForward(spec, this.weights);
    this.kvCache = spec.recurrent() ? null : new TransformerKvCache(spec, this.weights);
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
    if (kvCache != null) {
      m.put(ModelForm.DECODER_CROSS_CACHE, this::crossCacheForm);
      m.put(ModelForm.DECODER_STEP_CACHED, this::cachedStepForm);
    }
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
    if (rnn != null) {
      return rnn.decoderStep(in);
    }
    DoubleTensor all = transformerDecode(in.longs("target"), in.doubles("memory"), in.ints("source_lengths"));
    return Map.of("log_probs", TransformerSeq2SeqForward.lastPosition(all));
  }

  private Map<String, DoubleTensor> crossCacheForm(Map<String, ? extends Tensor> inputs) {
    In in = check(ModelForm.DECODER_CROSS_CACHE, inputs);
    return kvCache.tensors(kvCache.cross(in.doubles("memory")), "cross_key_", "cross_value_", new LinkedHashMap<>());
  }

  private Map<String, DoubleTensor> cachedStepForm(Map<String, ? extends Tensor> inputs) {
    In in = check(ModelForm.DECODER_STEP_CACHED, inputs);
    LongTensor token = in.longs("token");
    DoubleTensor e = embed(LongTensor.of(token.data(), token.size(), 1), "target_embedding/embeddings", spec.targetVocabulary());
    TransformerKvCache.Result r = kvCache.step(e.data(), kvCache.cache(in::doubles, "past_key_", "past_value_"),
        kvCache.cache(in::doubles, "cross_key_", "cross_value_"), in.ints("source_lengths"));
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    out.put("log_probs", r.logProbs());
    return kvCache.tensors(r.present(), "present_key_", "present_value_", out);
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
  record In(Map<String, ? extends Tensor> inputs) {

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
    int[] lengths = sourceLengths.toIntArray();
    DoubleTensor x = embed(source, "source_embedding/embeddings", spec.sourceVocabulary());
    if (rnn != null) {
      return rnn.encode(x, lengths);
    }
    return new Encoded(transformer.encode(x, lengths), List.of());
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
    // each sequence decodes on its own decoder: independent, so split over the cores
    RefKernels.RowRange rows = (from, to) -> {
      for (int b = from; b < to; b++) {
        int[] produced = Greedy.decode(decoder(e, lengths, b), max);
        for (int t = 0; t < produced.length; t++) {
          tokens[b * max + t] = produced[t];
        }
      }
    };
    if (RefKernels.naive()) {
      rows.run(0, batch);
    } else if (rnn != null) {
      // the recurrent decoder steps every running sequence of a chunk together
      RefKernels.forRows(batch, (long) batch * max * RefKernels.PARALLEL_WORK,
          (from, to) -> rnn.greedyRows(e, lengths, max, from, to, tokens));
    } else {
      RefKernels.forRows(batch, (long) batch * max * RefKernels.PARALLEL_WORK, rows);
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

  /**
   * The Transformer decoder of source sequence {@code b} with a key-value cache ({@link
   * TransformerKvCache}): the cross-attention keys and values are computed once here, and each
   * step reads one token against the self-attention keys and values carried in the state. Same
   * log-probabilities as {@link #decoder} up to float rounding, at O(t) per step instead of O(t²).
   *
   * @throws IllegalArgumentException for a recurrent model
   */
  public Decoder<Object> cachedDecoder(Encoded encoded, int[] sourceLengths, int b) {
    if (kvCache == null) {
      throw new IllegalArgumentException("model '" + spec.name() + "': a key-value cache needs a Transformer decoder");
    }
    DoubleTensor m = encoded.memory();
    int rowSize = m.dim(1) * m.dim(2);
    TransformerKvCache.Cache cross = kvCache.cross(new DoubleTensor(new long[] {1, m.dim(1), m.dim(2)},
        Arrays.copyOfRange(m.data(), b * rowSize, (b + 1) * rowSize)));
    int[] length = {sourceLengths[b]};
    return new Decoder<>() {
      @Override
      public Object start() {
        return kvCache.empty(1);
      }

      @Override
      public Step<Object> step(Object state, int token) {
        DoubleTensor e = embed(LongTensor.of(new long[] {token}, 1, 1), "target_embedding/embeddings", spec.targetVocabulary());
        TransformerKvCache.Result r = kvCache.step(e.data(), (TransformerKvCache.Cache) state, cross, length);
        return new Step<>(r.logProbs().data(), r.present());
      }
    };
  }

  private final class SourceDecoder implements Decoder<Object> {
    private final Encoded encoded;
    private final int b;
    private final int length;
    private final DoubleTensor memoryRow;
    private final RnnSeq2SeqForward.DecoderCell cell;

    SourceDecoder(Encoded encoded, int[] lengths, int b) {
      this.cell = rnn != null ? rnn.newCell() : null;
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
    return transformer.decode(embed(target, "target_embedding/embeddings", spec.targetVocabulary()), memory, sourceLengths);
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
}

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An encoder-decoder over token ids (Sutskever et al., 2014; Bahdanau et al., 2015; Vaswani et
 * al., 2017): source ids → encoder → memory (and, for RNNs, the final state); the decoder then
 * produces target ids one by one, starting from {@link SpecialTokens#BOS} and stopping at
 * {@link SpecialTokens#EOS} or {@code max_target_length}. Training uses teacher forcing: the
 * decoder reads {@code BOS, y_1, …, y_{n−1}} and is scored on {@code y_1, …, y_n, EOS}.
 *
 * <p>Model forms, in every backend:
 *
 * <ul>
 *   <li><b>training</b> (one pass, teacher forcing): inputs {@code source} int64 [B, S],
 *       {@code source_lengths} int32 [B], {@code target} int64 [B, T]; output {@code log_probs}
 *       [B, T, V_t].
 *   <li><b>encoder</b>: {@code source}, {@code source_lengths} → {@code memory} [B, S, H], and for
 *       RNNs {@code state_h} (and {@code state_c}) [B, H].
 *   <li><b>decoder step</b>, RNN: {@code token} int64 [B], {@code state_h} (, {@code state_c}), and
 *       with attention {@code memory}, {@code source_lengths} → {@code log_probs} [B, V_t],
 *       {@code new_state_h} (, {@code new_state_c}), and with attention {@code attention} [B, S].
 *       Transformer: {@code target} int64 [B, t] (the prefix, BOS first), {@code memory},
 *       {@code source_lengths} → {@code log_probs} [B, V_t] of the next token.
 *   <li><b>greedy decoder</b> (ONNX {@code Loop}): {@code source}, {@code source_lengths} →
 *       {@code tokens} int64 [B, max_target_length], PAD after EOS.
 * </ul>
 *
 * Parameters: {@code source_embedding/embeddings [V_s, E]}, {@code target_embedding/embeddings
 * [V_t, E]}; RNN: {@code encoder/kernel|recurrent_kernel|bias}, {@code decoder/...} (its kernel
 * reads [E + H] with attention), {@code attention/...} ({@link Attention#scoreParameters} with
 * queries and keys of width H); Transformer: {@code encoder/block_<i>/...},
 * {@code decoder/block_<i>/...} ({@link TransformerEncoder#blockParameters}); and
 * {@code output/kernel [H (+H with attention) or E, V_t]}, {@code output/bias [V_t]}.
 *
 * @param name model name
 * @param sourceVocabulary source ids 0 … V_s − 1 (the first four are {@link SpecialTokens})
 * @param targetVocabulary target ids 0 … V_t − 1
 * @param embeddingDim embedding width E (the Transformer's model width)
 * @param encoder the encoder
 * @param decoder the decoder, of the same family as the encoder
 * @param maxSourceLength the longest source accepted
 * @param maxTargetLength the longest target produced, EOS included
 */
public record Seq2Seq(String name, int sourceVocabulary, int targetVocabulary, int embeddingDim, Seq2SeqPart encoder,
    Seq2SeqPart decoder, int maxSourceLength, int maxTargetLength) implements ModelSpec {

  /** Recipe kind. */
  public static final String KIND = "seq2seq";

  /** Validates the fields and that encoder and decoder fit together. */
  public Seq2Seq {
    Layer.checkName(name);
    if (sourceVocabulary <= SpecialTokens.FIRST_TEXT || targetVocabulary <= SpecialTokens.FIRST_TEXT) {
      throw new IllegalArgumentException("model '" + name + "': vocabularies must exceed the " + SpecialTokens.FIRST_TEXT
          + " special tokens, got source " + sourceVocabulary + " and target " + targetVocabulary);
    }
    Layer.checkPositive(name, "embedding_dim", embeddingDim);
    Layer.checkPositive(name, "max_source_length", maxSourceLength);
    Layer.checkPositive(name, "max_target_length", maxTargetLength);
    if (encoder == null || decoder == null) {
      throw new IllegalArgumentException("model '" + name + "': encoder and decoder are required");
    }
    if (encoder instanceof RnnEncoder e) {
      if (!(decoder instanceof RnnDecoder d)) {
        throw new IllegalArgumentException("model '" + name + "': an rnn encoder needs an rnn decoder, got " + decoder.kind());
      }
      if (d.cell() != e.cell() || d.units() != e.units()) {
        throw new IllegalArgumentException("model '" + name + "': the decoder starts from the encoder's final state, so its cell and"
            + " units must match the encoder's (" + e.cell().recipeName() + ", " + e.units() + "), got (" + d.cell().recipeName()
            + ", " + d.units() + ")");
      }
    } else if (encoder instanceof TransformerStack t) {
      if (!(decoder instanceof TransformerStack)) {
        throw new IllegalArgumentException("model '" + name + "': a transformer encoder needs a transformer decoder, got " + decoder.kind());
      }
      if (embeddingDim % t.heads() != 0 || embeddingDim % ((TransformerStack) decoder).heads() != 0) {
        throw new IllegalArgumentException("model '" + name + "': attention heads must divide embedding_dim " + embeddingDim);
      }
    } else {
      throw new IllegalArgumentException("model '" + name + "': the encoder must be rnn or transformer, got " + encoder.kind());
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** Whether encoder and decoder are recurrent. */
  public boolean recurrent() {
    return encoder instanceof RnnEncoder;
  }

  /** The width of the encoder memory: H for RNNs, E for Transformers. */
  public int memoryWidth() {
    return encoder instanceof RnnEncoder e ? e.units() : embeddingDim;
  }

  @Override
  public List<ModelForm> forms() {
    int d = Shape.DYNAMIC;
    TensorSpec source = new TensorSpec("source", Shape.of(d, d), DType.INT64);
    TensorSpec sourceLengths = new TensorSpec("source_lengths", Shape.of(d), DType.INT32);
    TensorSpec memory = new TensorSpec("memory", Shape.of(d, d, memoryWidth()));
    List<TensorSpec> states = new ArrayList<>();
    if (encoder instanceof RnnEncoder e) {
      e.cell().states().forEach(s -> states.add(new TensorSpec("state_" + s, Shape.of(d, e.units()))));
    }
    List<ModelForm> forms = new ArrayList<>();
    forms.add(new ModelForm(ModelForm.TRAINING, List.of(source, sourceLengths, new TensorSpec("target", Shape.of(d, d), DType.INT64)),
        List.of(new TensorSpec("log_probs", Shape.of(d, d, targetVocabulary)))));
    List<TensorSpec> encoderOut = new ArrayList<>(List.of(memory));
    encoderOut.addAll(states);
    forms.add(new ModelForm(ModelForm.ENCODER, List.of(source, sourceLengths), encoderOut));
    TensorSpec logProbs = new TensorSpec("log_probs", Shape.of(d, targetVocabulary));
    if (decoder instanceof RnnDecoder r) {
      List<TensorSpec> in = new ArrayList<>(List.of(new TensorSpec("token", Shape.of(d), DType.INT64)));
      in.addAll(states);
      List<TensorSpec> out = new ArrayList<>(List.of(logProbs));
      // ONNX names are single-assignment: an output cannot share its input's name
      states.forEach(st -> out.add(new TensorSpec("new_" + st.name(), st.shape())));
      if (r.attends()) {
        in.add(memory);
        in.add(sourceLengths);
        out.add(new TensorSpec("attention", Shape.of(d, d)));
      }
      forms.add(new ModelForm(ModelForm.DECODER_STEP, in, out));
    } else {
      forms.add(new ModelForm(ModelForm.DECODER_STEP,
          List.of(new TensorSpec("target", Shape.of(d, d), DType.INT64), memory, sourceLengths), List.of(logProbs)));
      forms.addAll(cachedForms(memory, sourceLengths, logProbs));
    }
    forms.add(new ModelForm(ModelForm.GREEDY_DECODER, List.of(source, sourceLengths),
        List.of(new TensorSpec("tokens", Shape.of(d, maxTargetLength), DType.INT64))));
    forms.replaceAll(f -> new ModelForm(f.name(), f.inputs(), f.outputs(), contract(f.inputs())));
    return forms;
  }

  /** The Transformer's {@code decoder_cross_cache} and {@code decoder_step_cached} forms. */
  private List<ModelForm> cachedForms(TensorSpec memory, TensorSpec sourceLengths, TensorSpec logProbs) {
    int d = Shape.DYNAMIC;
    TransformerStack t = (TransformerStack) decoder;
    Shape cache = Shape.of(d, t.heads(), d, embeddingDim / t.heads());
    List<TensorSpec> cross = new ArrayList<>();
    List<TensorSpec> past = new ArrayList<>();
    List<TensorSpec> present = new ArrayList<>(List.of(logProbs));
    for (int i = 0; i < t.layers(); i++) {
      cross.add(new TensorSpec("cross_key_" + i, cache));
      cross.add(new TensorSpec("cross_value_" + i, cache));
      past.add(new TensorSpec("past_key_" + i, cache));
      past.add(new TensorSpec("past_value_" + i, cache));
      present.add(new TensorSpec("present_key_" + i, cache));
      present.add(new TensorSpec("present_value_" + i, cache));
    }
    List<TensorSpec> in = new ArrayList<>(List.of(new TensorSpec("token", Shape.of(d), DType.INT64), sourceLengths));
    in.addAll(cross);
    in.addAll(past);
    return List.of(new ModelForm(ModelForm.DECODER_CROSS_CACHE, List.of(memory), cross),
        new ModelForm(ModelForm.DECODER_STEP_CACHED, in, present));
  }

  /**
   * What a form's inputs must satisfy: {@code source} int64 {@code [batch, source_time]} and
   * {@code target} int64 {@code [batch, target_time]} ids of their vocabularies, {@code token} int64
   * {@code [batch]}, {@code memory} float32 {@code [batch, source_time, width]},
   * {@code source_lengths} int32 {@code [batch]} each 1 … source_time, states float32
   * {@code [batch, units]}; source_time at most {@code max_source_length}, target_time at most
   * {@code max_target_length}.
   */
  private InputContract contract(List<TensorSpec> inputs) {
    List<InputContract.Input> in = new ArrayList<>();
    InputContract.Ids sourceIds = new InputContract.Ids(sourceVocabulary, "token ids of the source vocabulary");
    InputContract.Ids targetIds = new InputContract.Ids(targetVocabulary, "token ids of the target vocabulary");
    for (TensorSpec s : inputs) {
      String second = switch (s.name()) {
        case "source", "memory" -> "source_time";
        case "target" -> "target_time";
        default -> null;
      };
      // cached keys and values [batch, heads, time, head_dim]: cross on source_time, past below max_target_length
      String third = s.name().startsWith("cross_") ? "source_time" : s.name().startsWith("past_") ? InputContract.CACHE_AXIS : null;
      InputContract.Input i = new InputContract.Input(s.name(), s.dtype(), InputContract.axes(s.shape(), "batch", second, third));
      switch (s.name()) {
        case "source" -> i = i.with(sourceIds);
        case "target", "token" -> i = i.with(targetIds);
        case "source_lengths" -> i = i.with(new InputContract.Lengths("source_time"));
        default -> { }
      }
      in.add(i);
    }
    return new InputContract(in, Map.of(
        "source_time", new InputContract.Limit(maxSourceLength, "max_source_length"),
        "target_time", new InputContract.Limit(maxTargetLength, "max_target_length"),
        InputContract.CACHE_AXIS, new InputContract.Limit(maxTargetLength - 1, "max_target_length − 1 (the step's position)")));
  }

  @Override
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> p = new ArrayList<>();
    p.add(new ParameterSpec("source_embedding/embeddings", new int[] {sourceVocabulary, embeddingDim}));
    p.add(new ParameterSpec("target_embedding/embeddings", new int[] {targetVocabulary, embeddingDim}));
    int outWidth;
    if (encoder instanceof RnnEncoder e) {
      RnnDecoder d = (RnnDecoder) decoder;
      int h = e.units();
      int g = e.cell().gates();
      p.add(new ParameterSpec("encoder/kernel", new int[] {embeddingDim, g * h}));
      p.add(new ParameterSpec("encoder/recurrent_kernel", new int[] {h, g * h}));
      p.add(new ParameterSpec("encoder/bias", e.cell() == Cell.GRU ? new int[] {2, g * h} : new int[] {g * h}));
      int decoderIn = embeddingDim + (d.attends() ? h : 0);
      p.add(new ParameterSpec("decoder/kernel", new int[] {decoderIn, g * h}));
      p.add(new ParameterSpec("decoder/recurrent_kernel", new int[] {h, g * h}));
      p.add(new ParameterSpec("decoder/bias", d.cell() == Cell.GRU ? new int[] {2, g * h} : new int[] {g * h}));
      if (d.attends()) {
        p.addAll(Attention.scoreParameters("attention", d.attention(), d.attentionUnits(), h, h));
      }
      outWidth = d.attends() ? 2 * h : h;
    } else {
      TransformerStack enc = (TransformerStack) encoder;
      TransformerStack dec = (TransformerStack) decoder;
      for (int i = 0; i < enc.layers(); i++) {
        p.addAll(TransformerEncoder.blockParameters("encoder/block_" + i, embeddingDim, enc.heads(), enc.ffDim(), false));
      }
      for (int i = 0; i < dec.layers(); i++) {
        p.addAll(TransformerEncoder.blockParameters("decoder/block_" + i, embeddingDim, dec.heads(), dec.ffDim(), true));
      }
      outWidth = embeddingDim;
    }
    p.add(new ParameterSpec("output/kernel", new int[] {outWidth, targetVocabulary}));
    p.add(new ParameterSpec("output/bias", new int[] {targetVocabulary}));
    return p;
  }
}

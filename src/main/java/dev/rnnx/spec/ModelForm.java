package dev.rnnx.spec;

import java.util.List;

/**
 * One exported form of a model — a single-pass graph with named inputs and outputs — identical
 * in every backend: a sequential model has one ({@code model}); a seq2seq model has
 * {@code training}, {@code encoder}, {@code decoder_step} and {@code greedy_decoder} (a Transformer also
 * {@code decoder_cross_cache} and {@code decoder_step_cached}, its key-value cache); word2vec has
 * {@code embedding} and {@code most_similar}. File names follow the form: {@code <form>.onnx},
 * {@code saved_model/<form>/} (a sequential model keeps {@code model.onnx} and {@code saved_model/}).
 * Integer outputs (token ids, indices) come back from backends as float tensors holding the exact
 * integer values (all below 2^24), so every output compares through one type.
 *
 * @param name the form's name
 * @param inputs its inputs, in order
 * @param outputs its outputs, in order
 * @param contract what its inputs must satisfy, checked by every backend ({@link InputContract#check})
 */
public record ModelForm(String name, List<TensorSpec> inputs, List<TensorSpec> outputs, InputContract contract) {

  /** A sequential model's only form. */
  public static final String MODEL = "model";
  /** Seq2seq, teacher forcing in one pass. */
  public static final String TRAINING = "training";
  /** Seq2seq encoder. */
  public static final String ENCODER = "encoder";
  /** Seq2seq decoder, one step. */
  public static final String DECODER_STEP = "decoder_step";
  /**
   * Transformer seq2seq: the cross-attention keys and values of every decoder layer from the
   * encoder's {@code memory}, once per source ({@code cross_key_i}, {@code cross_value_i}
   * {@code [batch, heads, source_time, head_dim]}).
   */
  public static final String DECODER_CROSS_CACHE = "decoder_cross_cache";
  /**
   * Transformer seq2seq decoder, one token with a key-value cache: {@code token}, the
   * cross-attention cache and each layer's self-attention {@code past_key_i}/{@code past_value_i}
   * {@code [batch, heads, t, head_dim]} in; {@code log_probs} and {@code present_key_i}/{@code
   * present_value_i} ({@code t + 1} steps) out. The token sits at position t.
   */
  public static final String DECODER_STEP_CACHED = "decoder_step_cached";
  /** Seq2seq greedy decoding in one graph (ONNX {@code Loop}). */
  public static final String GREEDY_DECODER = "greedy_decoder";
  /** word2vec: ids to vectors. */
  public static final String EMBEDDING = "embedding";
  /** word2vec: the nearest words by cosine similarity. */
  public static final String MOST_SIMILAR = "most_similar";

  /** Copies the lists; checks that the contract declares exactly the inputs. */
  public ModelForm {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (!contract.names().equals(inputs.stream().map(TensorSpec::name).toList())) {
      throw new IllegalArgumentException("form '" + name + "': the contract declares " + contract.names() + ", the form "
          + inputs.stream().map(TensorSpec::name).toList());
    }
  }

  /** A form whose contract only says what the tensors declare ({@link InputContract#of}). */
  public ModelForm(String name, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    this(name, inputs, outputs, InputContract.of(inputs));
  }
}

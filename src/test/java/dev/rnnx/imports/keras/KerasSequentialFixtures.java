package dev.rnnx.imports.keras;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The sequential Keras fixtures of models/keras (made by make_fixtures.py) with their recorded inputs
 * and Keras's outputs: (file, fixture prefix) pairs for parameterized tests. {@link #onEveryBackend()}
 * are also run through every backend by {@code pipeline.ImportRunTest}.
 */
public final class KerasSequentialFixtures {

  private KerasSequentialFixtures() {}

  /** The fixtures run through every backend. */
  public static Stream<Arguments> onEveryBackend() {
    return pairs(
        "bidirectional_keras2.h5,bidirectional_keras2", "embedding_rnn_keras2.h5,embedding_rnn_keras2",
        "lstm_keras3.keras,lstm_keras3", "attention_keras2.h5,attention_keras2",
        "dot_attention_keras2.h5,dot_attention_keras2", "masking_lstm_keras2.h5,masking_lstm_keras2",
        "masking_gru_keras2.h5,masking_gru_keras2", "masking_bidirectional_keras2.h5,masking_bidirectional_keras2",
        "embedding_mask_zero_keras2.h5,embedding_mask_zero_keras2",
        "masking_gru_sequences_keras2.h5,masking_gru_sequences_keras2", "flatten_keras2.h5,flatten_keras2",
        "bidirectional_backwards_keras2.h5,bidirectional_backwards_keras2",
        "bidirectional_none_keras2.h5,bidirectional_none_keras2",
        "scaled_attention_keras2.h5,scaled_attention_keras2", "nested_sequential_keras2.h5,nested_sequential_keras2",
        "additive_attention_keras2.h5,additive_attention_keras2",
        "concat_attention_keras3.keras,concat_attention_keras3", "masking_gru_keras3.keras,masking_gru_keras3",
        "masking_stacked_keras2.h5,masking_stacked_keras2",
        "masking_stacked_sequences_keras2.h5,masking_stacked_sequences_keras2",
        "masking_bidirectional_sequences_keras2.h5,masking_bidirectional_sequences_keras2",
        "masking_backwards_sequences_keras2.h5,masking_backwards_sequences_keras2",
        "bidirectional_backwards_sequences_keras2.h5,bidirectional_backwards_sequences_keras2",
        "bidirectional_backwards_concat_keras2.h5,bidirectional_backwards_concat_keras2",
        "masking_bidirectional_sum_keras2.h5,masking_bidirectional_sum_keras2",
        "masking_bidirectional_backwards_keras2.h5,masking_bidirectional_backwards_keras2",
        "masking_bidirectional_backwards_keras3.keras,masking_bidirectional_backwards_keras3",
        "masking_tagger_keras2.h5,masking_tagger_keras2",
        "masking_average_tokens_keras2.h5,masking_average_tokens_keras2",
        "masking_average_lstm_keras2.h5,masking_average_lstm_keras2",
        "masking_average_bidirectional_keras2.h5,masking_average_bidirectional_keras2",
        "masking_max_gru_keras2.h5,masking_max_gru_keras2");
  }

  /** Every fixture: those run through every backend and the ones checked on the reference only. */
  public static Stream<Arguments> all() {
    return Stream.concat(onEveryBackend(), pairs(
        "gru_tagger_keras2.h5,gru_tagger_keras2", "lstm_keras3.weights.h5,lstm_keras3",
        "bidirectional_keras3.keras,bidirectional_keras3", "dense_sequence_keras2.h5,dense_sequence_keras2",
        "max_pooling_keras2.h5,max_pooling_keras2", "masking_sine_keras2.h5,masking_sine_keras2"));
  }

  private static Stream<Arguments> pairs(String... pairs) {
    return Stream.of(pairs).map(p -> p.split(",")).map(p -> Arguments.of(p[0], p[1]));
  }
}

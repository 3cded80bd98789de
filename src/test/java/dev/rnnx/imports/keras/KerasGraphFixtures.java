package dev.rnnx.imports.keras;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The functional Keras graph fixtures of models/keras (made by make_graph_fixtures.py) with their
 * recorded inputs and Keras's outputs: (file, fixture prefix) pairs for parameterized tests.
 */
public final class KerasGraphFixtures {

  private KerasGraphFixtures() {}

  /** Every graph fixture: several inputs and outputs, merges, attention, masks, Activation, Flatten, shared layers,
   * a Bidirectional's two outputs, attention keys apart from values, causal cross-attention,
   * nested Sequential and functional models. */
  public static Stream<Arguments> all() {
    return Stream.of("graph_two_inputs_keras2.h5", "graph_residual_keras3.keras", "graph_residual_keras2.h5", "graph_masking_keras2.h5",
        "graph_masking_keras3.keras", "graph_activation_keras2.h5", "graph_flatten_keras2.h5", "graph_shared_keras2.h5",
        "graph_masked_shared_keras2.h5", "graph_bidirectional_none_keras2.h5", "graph_masked_bidirectional_none_keras2.h5",
        "graph_attention_key_keras2.h5", "graph_causal_cross_keras2.h5",
        "graph_nested_keras2.h5", "graph_nested_functional_keras2.h5",
        "graph_bidirectional_none_keras3.keras", "graph_masked_pooling_keras2.h5").map(f -> Arguments.of(f, f.substring(0, f.lastIndexOf('.'))));
  }
}

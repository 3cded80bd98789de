package dev.rnnx.imports.keras;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The functional Keras graph fixtures of models/keras (made by make_graph_fixtures.py) with their
 * recorded inputs and Keras's outputs: (file, fixture prefix) pairs for parameterized tests.
 */
public final class KerasGraphFixtures {

  private KerasGraphFixtures() {}

  /** Every graph fixture: several inputs and outputs, merges, attention, masks, Activation, Flatten, shared layers. */
  public static Stream<Arguments> all() {
    return Stream.of("graph_two_inputs_keras2.h5", "graph_residual_keras3.keras", "graph_residual_keras2.h5", "graph_masking_keras2.h5",
        "graph_masking_keras3.keras", "graph_activation_keras2.h5", "graph_flatten_keras2.h5", "graph_shared_keras2.h5",
        "graph_masked_shared_keras2.h5", "graph_masked_pooling_keras2.h5").map(f -> Arguments.of(f, f.substring(0, f.lastIndexOf('.'))));
  }
}

package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One layer of a Keras model config: its class, its name, its {@code config} object, and its key
 * in the Keras 3 weights layout.
 *
 * @param className Keras's class name ({@code LSTM}, {@code Dense}, ...)
 * @param name the layer's name
 * @param config the layer's {@code config} object
 * @param weightsKey the layer's group under {@code layers/} in a Keras 3 weights file
 * @param inbound the layer's {@code inbound_nodes} in a functional model (its call's arguments), else a missing node
 */
record KerasLayerConfig(String className, String name, JsonNode config, String weightsKey, JsonNode inbound) {

  /** Keras's {@code naming.to_snake_case} of a class name: {@code SimpleRNN} → {@code simple_rnn}. */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}

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
 * @param nestedIn the nested Sequential model (a layer of the outer model) whose weights group holds
 *     this layer's weights, or null for a layer of the outer model itself
 */
record KerasLayerConfig(String className, String name, JsonNode config, String weightsKey, JsonNode inbound, String nestedIn) {

  /** A layer of the outer model. */
  KerasLayerConfig(String className, String name, JsonNode config, String weightsKey, JsonNode inbound) {
    this(className, name, config, weightsKey, inbound, null);
  }

  /** Keras's {@code naming.to_snake_case} of a class name: {@code SimpleRNN} → {@code simple_rnn}. */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}

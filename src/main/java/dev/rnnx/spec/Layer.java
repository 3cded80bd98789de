package dev.rnnx.spec;

import java.util.List;
import java.util.Optional;

/**
 * One layer of a model. Implementations are immutable records, validated when constructed.
 *
 * <p>Every layer kind has four faces: this record, a TensorFlow builder ({@code tf}), an ONNX
 * converter ({@code onnx}) and a double-precision forward ({@code ref}), each registered in one
 * table per package; {@code LayerFacesTest} fails when a kind lacks one.
 */
public sealed interface Layer
    permits Dense, Embedding, TimeDistributed, RecurrentLayer, Bidirectional, LayerNormalization, PositionalEncoding,
        Attention, MultiHeadAttention, TransformerEncoder, GlobalAveragePooling, GlobalMaxPooling,
        Normalization, Flatten {

  /** The layer's unique name inside its model; it prefixes its parameter names. */
  String name();

  /** The kind as written in recipes, e.g. {@code "lstm"}. */
  String kind();

  /**
   * The shapes this layer produces for an input shape: its main output first, then any states.
   *
   * @throws IllegalArgumentException when the input shape does not fit the layer
   */
  List<Shape> outputShapes(Shape input);

  /** The layer's trainable parameters for an input shape, in the canonical layout. */
  List<ParameterSpec> parameters(Shape input);

  /** The number of trainable scalars for an input shape: the sum of {@link #parameters}' sizes. */
  default long parameterCount(Shape input) {
    return parameters(input).stream().mapToLong(ParameterSpec::size).sum();
  }

  /**
   * The layer type {@code rnnx summary} prints: Keras's class name for the kind ({@code Dense},
   * {@code TimeDistributed}, {@code LayerNormalization}), by default {@link #kind()} in upper camel
   * case; kinds whose Keras name differs ({@code LSTM}, {@code GRU}, {@code SimpleRNN}) override it.
   */
  default String typeName() {
    StringBuilder sb = new StringBuilder();
    for (String word : kind().split("_")) {
      if (!word.isEmpty()) {
        sb.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
      }
    }
    return sb.toString();
  }

  /**
   * A remark {@code rnnx summary} prints under its table for this layer, e.g. how an LSTM's size
   * compares with a GRU's of the same width; empty for most kinds. Layers that share a note's
   * heading get it once.
   */
  default Optional<SummaryNote> summaryNote(Shape input) {
    return Optional.empty();
  }

  /**
   * The dense map this layer applies to each feature vector: itself for a {@link Dense}, the
   * wrapped one (named as this layer) for a {@link TimeDistributed}; empty for other kinds. A
   * model's output activation (and so its task) is read through it.
   */
  default Optional<Dense> denseMap() {
    return Optional.empty();
  }

  /** The names of the outputs {@link #outputShapes} describes, e.g. {@code [output, h, c]}. */
  List<String> outputNames();

  /**
   * The states whose initial values are model inputs, e.g. {@code [h, c]}; each becomes the model
   * input {@code <layer>_<state>0} of shape {@code [batch, stateSize()]}. Empty for most layers.
   */
  default List<String> stateInputNames() {
    return List.of();
  }

  /** The size of each state named by {@link #stateInputNames()}. */
  default int stateSize() {
    return 0;
  }

  /** Whether the layer mixes time steps (recurrent or attention), and so honours sequence lengths. */
  default boolean recurrent() {
    return this instanceof RecurrentLayer || this instanceof Bidirectional;
  }

  /** Checks a layer name: non-empty, letters, digits, '_' and '-' only. */
  static String checkName(String name) {
    if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_\\-]*")) {
      throw new IllegalArgumentException(
          "layer name '" + name + "' is invalid, expected a letter followed by letters, digits, '_' or '-'");
    }
    return name;
  }

  /** Checks a positive size, naming the field. */
  static int checkPositive(String layer, String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "layer '" + layer + "': " + field + " is " + value + ", expected a positive integer");
    }
    return value;
  }

  /**
   * Refuses an input that is not a sequence {@code (batch, time, features)}.
   *
   * @throws IllegalArgumentException naming the layer and the shape it got
   */
  static void checkSequence(String layer, Shape input) {
    if (input.rank() != 3) {
      throw new IllegalArgumentException("layer '" + layer + "' expects a sequence input (batch, time, features), got " + input);
    }
  }
}

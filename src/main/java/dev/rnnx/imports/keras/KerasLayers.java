package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.imports.ImportException;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Flatten;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.TimeDistributed;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Maps one Keras layer config onto an rnnx {@link Layer}, with Keras's semantics for the file's
 * Keras version: activations by name ({@code hard_sigmoid} is Keras 2's {@code clip(0.2x + 0.5, 0,
 * 1)} in a Keras 1/2 file and Keras 3's {@code relu6(x + 3)/6} in a Keras 3 file), and the defaults
 * of the version that wrote the file where a config leaves a field out (an LSTM's recurrent
 * activation was {@code hard_sigmoid} up to Keras 2.2, {@code sigmoid} since; a GRU's
 * {@code reset_after} was false up to Keras 2.2, true since).
 */
final class KerasLayers {

  /** The layer classes rnnx imports, for messages. */
  static final List<String> SUPPORTED = List.of("InputLayer", "SimpleRNN", "LSTM", "GRU", "Bidirectional (merge_mode None when a merge layer follows)", "Dense",
      "TimeDistributed(Dense)", "Embedding", "Flatten (fixed-length sequence)", "Masking (right after the input)", "Activation (after a linear Dense)", "LayerNormalization",
      "MultiHeadAttention (self-attention)", "Attention (self-attention; dot, use_scale, concat)", "AdditiveAttention (self-attention)", "GlobalAveragePooling1D", "GlobalMaxPooling1D", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout");

  /** The activations rnnx imports, by Keras name. */
  static final List<String> ACTIVATIONS = List.of("linear", "tanh", "sigmoid", "relu", "hard_sigmoid", "softsign",
      "softplus", "elu", "softmax");

  /** Layers that only act in training: the identity at inference. */
  static final Set<String> IDENTITY = Set.of("Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
      "ActivityRegularization");

  private final String source;
  private final KerasVersion version;
  private final int steps;

  /**
   * @param steps the model input's fixed time length, or {@link Shape#DYNAMIC} where it declares none
   */
  KerasLayers(String source, KerasVersion version, int steps) {
    this.source = source;
    this.version = version;
    this.steps = steps;
  }

  /**
   * The rnnx layer of one Keras layer, or empty for a layer that is the identity at inference.
   *
   * @param input the shape the layer receives
   * @param last whether it is the model's last layer
   */
  Optional<Layer> map(KerasLayerConfig k, Shape input, boolean last) {
    JsonNode c = k.config();
    String name = layerName(k.name());
    return switch (k.className()) {
      case "SimpleRNN", "LSTM", "GRU" -> Optional.of(recurrent(k.className(), name, c, k, last));
      case "Bidirectional" -> Optional.of(bidirectional(name, c, k, last));
      case "Dense" -> Optional.of(input.rank() == 3 ? new TimeDistributed(name, dense(name, c, k)) : dense(name, c, k));
      case "TimeDistributed" -> {
        JsonNode inner = c.path("layer");
        if (!"Dense".equals(inner.path("class_name").asText())) {
          throw refuse(k, "wraps a " + inner.path("class_name").asText("?") + ", expected TimeDistributed(Dense)");
        }
        yield Optional.of(new TimeDistributed(name, dense(name + "_dense", inner.path("config"), k)));
      }
      case "Embedding" -> {
        yield Optional.of(new Embedding(name, c.path("input_dim").asInt(), c.path("output_dim").asInt(), Initializer.EMBEDDING));
      }
      case "LayerNormalization" -> {
        JsonNode axis = c.path("axis");
        int a = axis.isArray() && axis.size() == 1 ? axis.get(0).asInt() : axis.isInt() ? axis.asInt() : Integer.MIN_VALUE;
        if (a != -1 && a != input.rank() - 1) {
          throw refuse(k, "normalises axis " + axis + ", expected the last axis (-1)");
        }
        yield Optional.of(new LayerNormalization(name, c.path("epsilon").asDouble(0.001), c.path("center").asBoolean(true),
            c.path("scale").asBoolean(true)));
      }
      case "GlobalAveragePooling1D", "GlobalMaxPooling1D" -> {
        if (!"channels_last".equals(c.path("data_format").asText("channels_last")) || c.path("keepdims").asBoolean(false)) {
          throw refuse(k, "uses data_format " + c.path("data_format").asText() + " / keepdims " + c.path("keepdims")
              + ", expected channels_last without keepdims");
        }
        yield Optional.of(k.className().equals("GlobalMaxPooling1D") ? new GlobalMaxPooling(name) : new GlobalAveragePooling(name));
      }
      case "MultiHeadAttention" -> Optional.of(multiHeadAttention(name, c, k));
      case "Flatten" -> Optional.of(flatten(name, c, k, input));
      case "Attention", "AdditiveAttention" -> Optional.of(attention(name, c, k, input));
      case "Masking" -> throw refuse(k, "masks steps, but is not the first layer; rnnx imports Masking only right after the input");
      case "Lambda" -> throw new ImportException(source + ": layer '" + k.name() + "' is a Lambda layer: its code cannot be"
          + " imported, only layers described by their config are");
      default -> {
        if (IDENTITY.contains(k.className())) {
          yield Optional.empty();
        }
        throw new ImportException(source + ": layer '" + k.name() + "' is of class " + k.className()
            + ", which rnnx cannot import (a custom layer's code cannot be imported); supported: " + String.join(", ", SUPPORTED));
      }
    };
  }

  /** Flatten over a sequence of the fixed length the model input declares; a rank-2 input is already flat. */
  private Layer flatten(String name, JsonNode c, KerasLayerConfig k, Shape input) {
    if (!"channels_last".equals(c.path("data_format").asText("channels_last"))) {
      throw refuse(k, "uses data_format " + c.path("data_format").asText() + ", expected channels_last");
    }
    if (input.rank() != 3) {
      throw refuse(k, "flattens an input of shape " + input + "; rnnx imports Flatten over a sequence (batch, time, features)");
    }
    if (steps == Shape.DYNAMIC) {
      throw refuse(k, "flattens a sequence whose time axis is not fixed (the input declares None steps); rnnx imports Flatten"
          + " only where the model input declares a fixed length, e.g. batch_input_shape [null, 12, 3]");
    }
    return new Flatten(name, steps);
  }

  /**
   * Keras's {@code Attention} and {@code AdditiveAttention} called on one tensor (self-attention): dot
   * without {@code use_scale}; the others with parameters built from the file's
   * ({@link KerasDerivedWeights}).
   */
  private Attention attention(String name, JsonNode c, KerasLayerConfig k, Shape input) {
    String mode = c.path("score_mode").asText("dot");
    if (!mode.equals("dot") && !mode.equals("concat")) {
      throw refuse(k, "has score_mode '" + mode + "', expected dot or concat");
    }
    if (input.rank() != 3) {
      throw refuse(k, "attends over an input of shape " + input + ", expected a sequence (batch, time, features)");
    }
    boolean causal = c.path("causal").asBoolean(false) || causal(k.inbound());
    if (k.className().equals("AdditiveAttention") || KerasDerivedWeights.concat(k)) {
      return new Attention(name, AttentionScore.ADDITIVE, input.dim(-1), causal);
    }
    return new Attention(name, c.path("use_scale").asBoolean(false) ? AttentionScore.GENERAL : AttentionScore.DOT, 0, causal);
  }

  /** Self-attention (query = value = key, the chain's one tensor); Keras's weights reshaped to rnnx's [d, heads·key_dim]. */
  private MultiHeadAttention multiHeadAttention(String name, JsonNode c, KerasLayerConfig k) {
    int heads = positive(c, "num_heads", k);
    int keyDim = positive(c, "key_dim", k);
    JsonNode valueDim = c.path("value_dim");
    if (!valueDim.isMissingNode() && !valueDim.isNull() && valueDim.asInt() != keyDim) {
      throw refuse(k, "has value_dim " + valueDim + " other than key_dim " + keyDim + ", expected them equal");
    }
    if (!c.path("use_bias").asBoolean(true)) {
      throw refuse(k, "sets use_bias: false, expected true");
    }
    for (String f : new String[] {"output_shape", "attention_axes"}) {
      if (!c.path(f).isMissingNode() && !c.path(f).isNull()) {
        throw refuse(k, "sets " + f + " " + c.path(f) + ", expected null");
      }
    }
    return new MultiHeadAttention(name, heads, keyDim, causal(k.inbound()));
  }

  /** Whether a call's kwargs set {@code use_causal_mask: true}. */
  private static boolean causal(JsonNode n) {
    if (n.isObject() && n.path("use_causal_mask").asBoolean(false)) {
      return true;
    }
    for (JsonNode child : n) {
      if (causal(child)) {
        return true;
      }
    }
    return false;
  }

  private Dense dense(String name, JsonNode c, KerasLayerConfig k) {
    return new Dense(name, positive(c, "units", k), activation(c, "activation", "linear", k, false), c.path("use_bias").asBoolean(true));
  }

  private RecurrentLayer recurrent(String cls, String name, JsonNode c, KerasLayerConfig k, boolean last) {
    if (c.path("stateful").asBoolean(false)) {
      throw refuse(k, "is stateful; rnnx imports stateless layers (stateful: false)");
    }
    if (c.path("time_major").asBoolean(false)) {
      throw refuse(k, "sets time_major: true, expected false");
    }
    boolean returnState = c.path("return_state").asBoolean(false);
    if (returnState && !last) {
      throw refuse(k, "sets return_state but is not the last layer");
    }
    int units = positive(c, "units", k);
    Activation act = activation(c, "activation", "tanh", k, true);
    boolean seq = c.path("return_sequences").asBoolean(false);
    boolean back = c.path("go_backwards").asBoolean(false);
    boolean bias = c.path("use_bias").asBoolean(true);
    return switch (cls) {
      case "SimpleRNN" -> SimpleRnn.builder(name, units).returnSequences(seq).returnState(returnState).goBackwards(back)
          .activation(act).useBias(bias).build();
      case "LSTM" -> Lstm.builder(name, units).returnSequences(seq).returnState(returnState).goBackwards(back)
          .activation(act).recurrentActivation(activation(c, "recurrent_activation", version.lstmRecurrentDefault(), k, true))
          .useBias(bias).build();
      default -> Gru.builder(name, units).returnSequences(seq).returnState(returnState).goBackwards(back)
          .activation(act).recurrentActivation(activation(c, "recurrent_activation", version.lstmRecurrentDefault(), k, true))
          .useBias(bias).resetAfter(c.has("reset_after") ? c.path("reset_after").asBoolean() : version.resetAfterDefault()).build();
    };
  }

  private Bidirectional bidirectional(String name, JsonNode c, KerasLayerConfig k, boolean last) {
    JsonNode inner = c.path("layer");
    String cls = inner.path("class_name").asText("?");
    if (!Set.of("SimpleRNN", "LSTM", "GRU").contains(cls)) {
      throw refuse(k, "wraps a " + cls + ", expected SimpleRNN, LSTM or GRU");
    }
    if (inner.path("config").path("return_state").asBoolean(false)) {
      throw refuse(k, "wraps a layer with return_state: true, expected false");
    }
    JsonNode mode = c.path("merge_mode");
    if (mode.isNull() || mode.isMissingNode()) {
      throw refuse(k, "has merge_mode None (two outputs), expected one of concat, sum, mul, ave, or None followed by a"
          + " Concatenate, Add, Multiply or Average of its two outputs (a functional model reading its outputs otherwise is"
          + " imported as a graph; a Sequential model cannot)");
    }
    MergeMode merge;
    try {
      merge = MergeMode.fromName(mode.asText());
    } catch (IllegalArgumentException e) {
      throw refuse(k, e.getMessage());
    }
    JsonNode innerConfig = inner.path("config");
    checkBackwardLayer(c.path("backward_layer"), inner, k);
    // go_backwards on the wrapped layer: Keras's forward half reads backwards and its backward half forwards; rnnx's
    // bidirectional expresses that itself (Bidirectional#reversed), with the file's weights as they are
    RecurrentLayer cell = recurrent(cls, name + "_cell", innerConfig, k, last);
    return new Bidirectional(name, cell, merge);
  }

  /**
   * Keras 3 (and a Keras 2 {@code backward_layer} argument) records the backward half's config: it
   * must be the wrapped layer's with {@code go_backwards} flipped (Keras's {@code _verify_layer_config}
   * checks the flip), since rnnx's bidirectional runs one layer's config both ways.
   */
  private void checkBackwardLayer(JsonNode backward, JsonNode inner, KerasLayerConfig k) {
    if (backward.isMissingNode() || backward.isNull()) {
      return;
    }
    boolean forwardBack = inner.path("config").path("go_backwards").asBoolean(false);
    boolean backwardBack = backward.path("config").path("go_backwards").asBoolean(false);
    if (forwardBack == backwardBack) {
      throw refuse(k, "has a backward_layer with go_backwards " + backwardBack + " like its layer's, expected the opposite");
    }
    var a = (com.fasterxml.jackson.databind.node.ObjectNode) inner.path("config").deepCopy();
    var b = (com.fasterxml.jackson.databind.node.ObjectNode) backward.path("config").deepCopy();
    for (String field : List.of("name", "go_backwards")) {
      a.remove(field);
      b.remove(field);
    }
    if (!inner.path("class_name").equals(backward.path("class_name")) || !a.equals(b)) {
      throw refuse(k, "has a backward_layer (" + backward.path("class_name").asText("?") + ") configured unlike its layer ("
          + inner.path("class_name").asText("?") + "); rnnx imports a Bidirectional whose halves differ only in go_backwards");
    }
  }

  /** A Keras activation name under this file's Keras version. */
  Activation activation(JsonNode c, String field, String fallback, KerasLayerConfig k, boolean recurrent) {
    JsonNode v = c.path(field);
    String keras = v.isTextual() ? v.asText() : v.isMissingNode() || v.isNull() ? fallback : null;
    if (keras == null) {
      throw refuse(k, field + " is " + v + ", expected an activation name, one of " + ACTIVATIONS);
    }
    String lower = keras.toLowerCase(Locale.ROOT);
    Activation a = switch (lower) {
      case "linear", "tanh", "sigmoid", "relu", "softsign", "softplus", "elu", "softmax" -> Activation.fromName(lower);
      case "hard_sigmoid" -> version.major() >= 3 ? Activation.HARD_SIGMOID_KERAS3 : Activation.HARD_SIGMOID;
      default -> throw refuse(k, field + " '" + keras + "' is not supported, expected one of " + ACTIVATIONS);
    };
    if (recurrent && !Activation.RECURRENT.contains(a)) {
      throw refuse(k, field + " '" + keras + "' is not supported in a recurrent layer, expected one of "
          + List.of("tanh", "sigmoid", "relu", "hard_sigmoid", "softsign", "softplus", "elu"));
    }
    return a;
  }

  private int positive(JsonNode c, String field, KerasLayerConfig k) {
    JsonNode v = c.path(field);
    if (!v.canConvertToInt() || v.asInt() < 1) {
      throw refuse(k, field + " is " + v + ", expected a positive integer");
    }
    return v.asInt();
  }

  /** The file being imported, for messages. */
  String source() {
    return source;
  }

  ImportException refuse(KerasLayerConfig k, String what) {
    return new ImportException(source + ": layer '" + k.name() + "' (" + k.className() + ") " + what);
  }

  /** An rnnx layer name for a Keras one: letters, digits, '_' and '-', starting with a letter. */
  static String layerName(String keras) {
    String s = keras == null ? "" : keras.replaceAll("[^A-Za-z0-9_\\-]", "_");
    return s.matches("[A-Za-z].*") ? s : "l_" + s;
  }
}

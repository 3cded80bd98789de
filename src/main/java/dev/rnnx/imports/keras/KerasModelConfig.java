package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.imports.ImportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras model config ({@code model_config} of a legacy HDF5 file, {@code config.json} of a
 * {@code .keras} zip) as the chain of layers it applies, first to last.
 *
 * <p>Sequential models in every layout Keras wrote (Keras 2.0's bare list, later
 * {@code {"layers": [...]}}); functional models ({@code Model}, {@code Functional}) whose graph is a
 * chain: one input, one output, every layer fed by one tensor (a self-attention call that reads the
 * same tensor twice counts as one). Others are refused naming the layer that branches.
 *
 * @param name the model's name
 * @param layers the layers in the order they apply
 */
record KerasModelConfig(String name, List<KerasLayerConfig> layers) {

  /** Parses the config's root object. */
  static KerasModelConfig parse(String source, JsonNode root) {
    String cls = root.path("class_name").asText("");
    JsonNode config = root.path("config");
    List<JsonNode> raw = new ArrayList<>();
    String name;
    switch (cls) {
      case "Sequential" -> {
        JsonNode list = config.isArray() ? config : config.path("layers");
        if (!list.isArray()) {
          throw new ImportException(source + ": the Sequential model config has no layer list");
        }
        list.forEach(raw::add);
        name = config.path("name").asText("sequential");
      }
      case "Model", "Functional" -> {
        raw = chain(source, config);
        name = config.path("name").asText("model");
      }
      default -> throw new ImportException(source + ": the model is a " + (cls.isEmpty() ? "config without class_name" : cls)
          + ", expected a Sequential or functional (Model, Functional) Keras model");
    }
    List<KerasLayerConfig> layers = layers(source, raw);
    if (layers.isEmpty()) {
      throw new ImportException(source + ": the model config has no layers");
    }
    return new KerasModelConfig(name, layers);
  }

  /**
   * The layers of a config's layer list, in its order, each with its Keras 3 weights key (its
   * snake-case class, counting repeats); a nested Sequential model flattened in place, a nested
   * functional model called once in a functional model flattened ({@link #nestedFunctional}),
   * other nested models refused.
   */
  static List<KerasLayerConfig> layers(String source, Iterable<JsonNode> raw) {
    List<KerasLayerConfig> layers = new ArrayList<>();
    Map<String, Integer> used = new HashMap<>();
    for (JsonNode l : raw) {
      String lc = l.path("class_name").asText("");
      JsonNode lconf = l.path("config");
      String lname = l.has("name") ? l.path("name").asText() : lconf.path("name").asText(KerasLayerConfig.snakeCase(lc));
      if (lc.equals("Sequential") && l.path("inbound_nodes").size() <= 1) {
        nested(source, lname, lconf, l.path("inbound_nodes"), layers, used);
        continue;
      }
      if ((lc.equals("Model") || lc.equals("Functional")) && l.path("inbound_nodes").size() == 1) {
        nestedFunctional(source, lname, lconf, l.path("inbound_nodes").get(0), layers, used);
        continue;
      }
      if (lc.equals("Sequential") || lc.equals("Model") || lc.equals("Functional")) {
        throw new ImportException(source + ": layer '" + lname + "' is a nested " + lc + " model, which rnnx does not import;"
            + " expected the layers of one model, a nested Sequential model called once, or a nested functional model called"
            + " once in a functional model");
      }
      String snake = KerasLayerConfig.snakeCase(lc);
      int n = used.merge(snake, 1, Integer::sum) - 1;
      layers.add(new KerasLayerConfig(lc, lname, lconf, n == 0 ? snake : snake + "_" + n, l.path("inbound_nodes")));
    }
    return layers;
  }

  /**
   * A Sequential model used as a layer, flattened: its layers (its own {@code InputLayer} left
   * out) in place of it, each reading the one before, the first what the nested model reads, and
   * each weighing from the nested model's weights group ({@link KerasLayerConfig#nestedIn}). The
   * layer after it in a functional model reads it by the nested model's name, which then names its
   * last layer's output ({@link #nestedOutputs}).
   */
  private static void nested(String source, String name, JsonNode config, JsonNode inbound, List<KerasLayerConfig> layers,
      Map<String, Integer> used) {
    JsonNode list = config.isArray() ? config : config.path("layers");
    List<JsonNode> inner = new ArrayList<>();
    boolean first = layers.isEmpty(); // the outer model's first layer: its InputLayer declares the model's input
    list.forEach(l -> {
      if (first || !l.path("class_name").asText("").equals("InputLayer")) {
        inner.add(l);
      }
    });
    if (inner.isEmpty()) {
      throw new ImportException(source + ": layer '" + name + "' is a nested Sequential model without layers");
    }
    String previous = null;
    for (JsonNode l : inner) {
      String lc = l.path("class_name").asText("");
      if (lc.equals("Sequential") || lc.equals("Model") || lc.equals("Functional")) {
        throw new ImportException(source + ": layer '" + name + "' nests model '" + l.path("config").path("name").asText()
            + "' in turn; rnnx flattens one level of nested Sequential models");
      }
      String lname = l.path("config").path("name").asText(KerasLayerConfig.snakeCase(lc));
      if (layers.stream().anyMatch(o -> o.name().equals(lname))) {
        throw new ImportException(source + ": layer '" + lname + "' of nested model '" + name + "' has the name of a layer of the"
            + " outer model; expected distinct names");
      }
      String snake = KerasLayerConfig.snakeCase(lc);
      int n = used.merge(snake, 1, Integer::sum) - 1;
      JsonNode reads = previous == null ? inbound
          : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(
                  com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(previous).add(0).add(0)
                      .add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
      layers.add(new KerasLayerConfig(lc, lname, l.path("config"), n == 0 ? snake : snake + "_" + n, reads, name));
      previous = lname;
    }
  }

  /**
   * A functional model used as a layer in a functional model, called once with {@code call} (Keras
   * 2's list of tensors, one per input of the nested model): its layers (its {@code InputLayer}s
   * left out) in place of it, each tensor of a nested input read as the outer tensor the call
   * passes for it, each layer weighing from the nested model's weights group; its one output
   * layer listed last, the nested model's output ({@link #nestedOutputs}).
   */
  private static void nestedFunctional(String source, String name, JsonNode config, JsonNode call, List<KerasLayerConfig> layers,
      Map<String, Integer> used) {
    List<String> inputs = tensorNames(config.path("input_layers"));
    List<String> outputs = tensorNames(config.path("output_layers"));
    List<JsonNode> passed = new ArrayList<>();
    call.forEach(passed::add);
    if (outputs.size() != 1 || inputs.size() != passed.size()) {
      throw new ImportException(source + ": layer '" + name + "' is a nested functional model with " + inputs.size() + " input(s)"
          + " called on " + passed.size() + " tensor(s) and " + outputs.size() + " output(s); rnnx flattens a nested functional"
          + " model with one output, called on one tensor per input");
    }
    Map<String, JsonNode> outer = new HashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      outer.put(inputs.get(i), passed.get(i));
    }
    List<KerasLayerConfig> inner = new ArrayList<>();
    for (JsonNode l : config.path("layers")) {
      String lc = l.path("class_name").asText("");
      String lname = l.path("name").asText(l.path("config").path("name").asText(KerasLayerConfig.snakeCase(lc)));
      if (lc.equals("InputLayer")) {
        continue;
      }
      if (lc.equals("Sequential") || lc.equals("Model") || lc.equals("Functional")) {
        throw new ImportException(source + ": layer '" + name + "' nests model '" + lname + "' in turn; rnnx flattens one level"
            + " of nested models");
      }
      if (layers.stream().anyMatch(o -> o.name().equals(lname))) {
        throw new ImportException(source + ": layer '" + lname + "' of nested model '" + name + "' has the name of a layer of the"
            + " outer model; expected distinct names");
      }
      String snake = KerasLayerConfig.snakeCase(lc);
      int n = used.merge(snake, 1, Integer::sum) - 1;
      inner.add(new KerasLayerConfig(lc, lname, l.path("config"), n == 0 ? snake : snake + "_" + n,
          rewired(l.path("inbound_nodes").deepCopy(), outer), name));
    }
    inner.stream().filter(l -> !l.name().equals(outputs.get(0))).forEach(layers::add);
    layers.add(inner.stream().filter(l -> l.name().equals(outputs.get(0))).findFirst().orElseThrow(() -> new ImportException(
        source + ": nested model '" + name + "' outputs '" + outputs.get(0) + "', which is none of its layers")));
  }

  /** Keras 2 tensor references {@code [layer, node, tensor, kwargs]} to a nested model's inputs replaced by the outer tensors. */
  private static JsonNode rewired(JsonNode n, Map<String, JsonNode> outer) {
    if (n.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode a = (com.fasterxml.jackson.databind.node.ArrayNode) n;
      if (a.size() >= 3 && a.get(0).isTextual() && a.get(1).isInt() && outer.containsKey(a.get(0).asText())) {
        com.fasterxml.jackson.databind.node.ArrayNode ref = (com.fasterxml.jackson.databind.node.ArrayNode) outer.get(a.get(0).asText())
            .deepCopy();
        if (a.size() > 3 && ref.size() > 3) {
          ref.set(3, rewired(a.get(3), outer));
        }
        return ref;
      }
      for (int i = 0; i < a.size(); i++) {
        a.set(i, rewired(a.get(i), outer));
      }
    } else if (n.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) n;
      List<String> fields = new ArrayList<>();
      o.fieldNames().forEachRemaining(fields::add);
      fields.forEach(f -> o.set(f, rewired(o.get(f), outer)));
    }
    return n;
  }

  /** Each nested model flattened into {@code layers}, and the name of its last listed layer (its output). */
  static Map<String, String> nestedOutputs(List<KerasLayerConfig> layers) {
    Map<String, String> out = new HashMap<>();
    layers.stream().filter(l -> l.nestedIn() != null).forEach(l -> out.put(l.nestedIn(), l.name()));
    return out;
  }

  /** The layers of a functional model from its input to its output, refusing any other graph. */
  private static List<JsonNode> chain(String source, JsonNode config) {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode l : config.path("layers")) {
      byName.put(l.path("name").asText(), l);
    }
    List<String> inputs = tensorNames(config.path("input_layers"));
    List<String> outputs = tensorNames(config.path("output_layers"));
    if (inputs.size() != 1 || outputs.size() != 1) {
      throw new ImportException(source + ": the functional model has " + inputs.size() + " input(s) and " + outputs.size()
          + " output(s); rnnx imports a chain of layers with one input and one output (docs/IMPORT.md)");
    }
    Deque<JsonNode> order = new ArrayDeque<>();
    String at = outputs.get(0);
    Set<String> seen = new LinkedHashSet<>();
    while (true) {
      JsonNode layer = byName.get(at);
      if (layer == null || !seen.add(at)) {
        throw new ImportException(source + ": the functional model refers to layer '" + at + "', which its config does not hold once");
      }
      order.addFirst(layer);
      if (at.equals(inputs.get(0))) {
        break;
      }
      List<String> from = new ArrayList<>(new LinkedHashSet<>(inbound(layer.path("inbound_nodes"))));
      if (from.size() != 1) {
        throw new ImportException(source + ": layer '" + at + "' is fed by " + from.size() + " layers " + from
            + "; rnnx imports a chain of layers, each fed by the one before (docs/IMPORT.md)");
      }
      at = from.get(0);
    }
    return new ArrayList<>(order);
  }

  /** {@code [["input_1", 0, 0], ...]} or {@code ["input_1", 0, 0]}: the layer names. */
  static List<String> tensorNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    if (n.isArray() && n.size() > 0 && n.get(0).isTextual()) {
      names.add(n.get(0).asText());
    } else if (n.isArray()) {
      n.forEach(e -> names.addAll(tensorNames(e)));
    }
    return names;
  }

  /** The layer names an {@code inbound_nodes} entry reads: Keras 2's nested lists, Keras 3's {@code keras_history}. */
  static List<String> inbound(JsonNode n) {
    List<String> names = new ArrayList<>();
    if (n.isObject()) {
      if (n.has("keras_history")) {
        names.add(n.path("keras_history").path(0).asText());
      } else {
        n.forEach(v -> names.addAll(inbound(v)));
      }
    } else if (n.isArray()) {
      if (n.size() >= 3 && n.get(0).isTextual() && n.get(1).isInt()) {
        names.add(n.get(0).asText());
        if (n.size() > 3) {
          names.addAll(inbound(n.get(3))); // Keras 2 call kwargs: MultiHeadAttention's value, key
        }
      } else {
        n.forEach(v -> names.addAll(inbound(v)));
      }
    }
    return names;
  }
}

package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.imports.ImportException;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A functional Keras model whose layers do not form a chain (several inputs or outputs, a branch,
 * a residual merge, cross-attention) lifted into a {@link Graph}: {@code InputLayer}s become graph
 * inputs, merge layers ({@code Concatenate} on the last axis, {@code Add}, {@code Multiply},
 * {@code Average}, {@code Subtract}) merge nodes, {@code MultiHeadAttention(query, value[, key])},
 * {@code Attention([query, value[, key]])} and {@code AdditiveAttention} cross-attention nodes,
 * training-only layers the identity, a {@code Bidirectional(merge_mode=None)} its concat read in
 * halves ({@link KerasBidirectionalHalves}), and every other layer the node {@link KerasLayers}
 * maps it to, with its weights checked as for a chain. Layers are taken in dependency order; a
 * cycle and a tensor no layer defines are refused naming the file and the layer. A {@code Masking} layer right after an input (its only reader) and
 * {@code Embedding(mask_zero=True)} mask that input ({@link dev.rnnx.spec.GraphMasks}); an
 * {@code Activation} folds into the Dense it reads ({@link KerasGraphActivation}); a layer called
 * more than once is one node per call ({@code <layer>_call2}, …), sharing its weights.
 */
final class KerasGraphImport {

  /** The Keras merge layers and their merges. */
  static final Map<String, GraphMerge> MERGES = Map.of("Concatenate", GraphMerge.CONCATENATE, "Add", GraphMerge.ADD,
      "Multiply", GraphMerge.MULTIPLY, "Average", GraphMerge.AVERAGE, "Subtract", GraphMerge.SUBTRACT);

  private KerasGraphImport() {}

  /** Whether a config is a functional model that is not a chain: several inputs or outputs, or a layer reading several. */
  static boolean isGraph(JsonNode root) {
    String cls = root.path("class_name").asText("");
    if (!cls.equals("Model") && !cls.equals("Functional")) {
      return false;
    }
    JsonNode config = root.path("config");
    if (KerasModelConfig.tensorNames(config.path("input_layers")).size() != 1
        || KerasModelConfig.tensorNames(config.path("output_layers")).size() != 1) {
      return true;
    }
    for (JsonNode l : config.path("layers")) {
      if (new LinkedHashSet<>(KerasModelConfig.inbound(l.path("inbound_nodes"))).size() > 1
          || l.path("class_name").asText("").equals("Functional") || l.path("class_name").asText("").equals("Model")) {
        return true; // a nested functional model is flattened by the graph import, which orders layers by their tensors
      }
    }
    return KerasMergeFold.unfoldable(KerasModelConfig.layers("", config.path("layers")));
  }

  /** What the import gives: the graph and its weights by parameter name. */
  record Lifted(Graph graph, Map<String, FloatTensor> weights, List<String> notes) {}

  /**
   * Lifts a functional config into a graph.
   *
   * @throws ImportException naming the file and the layer for what is not supported
   */
  static Lifted lift(String source, JsonNode root, KerasFiles files) {
    JsonNode config = root.path("config");
    List<KerasLayerConfig> layers = KerasModelConfig.layers(source, config.path("layers"));
    List<KerasLayerConfig> ordered = order(source, layers);
    List<String> outputLayers = KerasModelConfig.tensorNames(config.path("output_layers"));
    KerasLayers mapper = new KerasLayers(source, files.version(), Shape.DYNAMIC);
    Map<String, String> alias = new HashMap<>(); // a layer's name -> the tensor it outputs
    Map<String, Shape> shapes = new HashMap<>();
    Map<String, Boolean> tokens = new HashMap<>();
    Map<String, String> timeSource = new HashMap<>(); // a tensor -> the input its time axis comes from
    Map<String, Integer> steps = new HashMap<>(); // an input -> the fixed time length it declares
    List<GraphInput> inputs = new ArrayList<>();
    List<GraphNode> nodes = new ArrayList<>();
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    long total = 0;
    Map<String, String> nested = KerasModelConfig.nestedOutputs(layers);
    KerasBidirectionalHalves halves = new KerasBidirectionalHalves(nodes, shapes, timeSource);
    for (KerasLayerConfig k : ordered) {
      if (k.className().equals("InputLayer")) {
        GraphInput in = input(source, k, ordered, mapper);
        inputs.add(in);
        timeSource.put(in.name(), in.name());
        JsonNode declared = k.config().path("batch_input_shape").isArray() ? k.config().path("batch_input_shape")
            : k.config().path("batch_shape");
        if (declared.path(1).canConvertToInt() && declared.path(1).asInt() > 0) {
          steps.put(in.name(), declared.path(1).asInt());
        }
        alias.put(k.name(), in.name());
        shapes.put(in.name(), in.input().shape());
        tokens.put(in.name(), in.input().tokens());
        continue;
      }
      int calls = k.inbound().size();
      if (calls > 1 && (k.className().equals("Masking") || k.className().equals("Activation"))) {
        throw mapper.refuse(k, "is called " + calls + " times (a shared layer); rnnx imports a " + k.className() + " layer called once");
      }
      if (calls == 0) {
        throw mapper.refuse(k, "reads no tensor (no inbound_nodes), expected a layer called on the model's tensors");
      }
      for (int c = 0; c < calls; c++) { // one node per call; a shared layer's later calls share its parameters
        if (k.className().equals("Masking")) { // the mask is its input's (GraphInput's mask_value), checked in input()
          List<String> reads = tensorKeys(k.inbound().get(c), nested);
          GraphInput masked = inputs.stream().filter(i -> reads.size() == 1 && i.name().equals(alias.get(reads.get(0)))).findFirst()
              .orElse(null);
          if (masked == null || !masked.input().masked()) {
            throw mapper.refuse(k, "masks steps of " + reads + "; rnnx imports a Masking layer only right after an input that"
                + " nothing else reads");
          }
          alias.put(key(k.name(), c), masked.name());
          continue;
        }
        if (k.className().equals("Activation")) { // folded into the Dense it reads, as in a chain
          List<String> reads = tensorKeys(k.inbound().get(c), nested);
          String read = reads.size() == 1 ? alias.get(reads.get(0)) : null;
          List<String> names = alias.entrySet().stream().filter(e -> e.getValue().equals(read)).map(Map.Entry::getKey).toList();
          int readers = (int) ordered.stream().filter(o -> !names.contains(o.name())
              && KerasModelConfig.inbound(o.inbound()).stream().anyMatch(names::contains))
              .count() + (int) outputLayers.stream().filter(names::contains).count();
          String folded = KerasGraphActivation.fold(mapper, k, read, readers, outputLayers.contains(k.name()), nodes, shapes, weights);
          names.forEach(n -> alias.put(n, folded));
          timeSource.put(folded, timeSource.get(read));
          alias.put(key(k.name(), c), folded);
          notes.add("layer '" + k.name() + "' (Activation) folded into the Dense it reads: node '" + folded + "'");
          continue;
        }
        boolean attention = k.className().equals("MultiHeadAttention") || k.className().equals("Attention")
            || k.className().equals("AdditiveAttention");
        List<String> read = new ArrayList<>();
        for (String t : attention ? attentionKeys(k.inbound().get(c), nested) : tensorKeys(k.inbound().get(c), nested)) {
          read.add(halves.read(mapper, k, t, alias));
        }
        if (read.isEmpty()) {
          throw mapper.refuse(k, "reads no tensor (no inbound_nodes), expected a layer called on the model's tensors");
        }
        String name = KerasLayers.layerName(k.name()) + (c == 0 ? "" : "_call" + (c + 1)); // a shared layer's later call
        GraphMerge merge = MERGES.get(k.className());
        if (merge != null) {
          checkConcatAxis(mapper, k, shapes.get(read.get(0)));
          GraphNode node = node(mapper, k, name, null, merge, read);
          shapes.put(name, node.outputShape(source, read.stream().map(shapes::get).toList()));
          nodes.add(node);
          alias.put(key(k.name(), c), name);
          timeSource.put(name, timeSource.get(read.get(0)));
          continue;
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(read));
        boolean keyed = attention && read.size() > 2 && !read.get(2).equals(read.get(1)); // [query, value, key]
        if (attention && read.size() > 3) {
          throw mapper.refuse(k, "reads " + read.size() + " tensors " + read + ", expected [query, value] or [query, value, key]");
        }
        List<String> args = keyed ? read : attention ? distinct.subList(0, Math.min(2, distinct.size())) : distinct;
        if (!attention && args.size() != 1) {
          throw mapper.refuse(k, "reads " + args.size() + " tensors " + args + "; rnnx imports this class on one tensor");
        }
        Shape in = shapes.get(args.get(0));
        if (tokens.getOrDefault(args.get(0), false) && !k.className().equals("Embedding")) {
          throw mapper.refuse(k, "reads token ids (input '" + args.get(0) + "'), expected an Embedding to read them");
        }
        KerasLayers m = k.className().equals("Flatten") // over the fixed length its sequence's input declares
            ? new KerasLayers(source, files.version(), steps.getOrDefault(timeSource.get(args.get(0)), Shape.DYNAMIC)) : mapper;
        Optional<Layer> mapped = m.map(KerasMergeFold.none(k) ? KerasMergeFold.withMergeMode(k, "concat") : k, in, false);
        if (mapped.isEmpty()) { // training-only: the identity
          alias.put(key(k.name(), c), args.get(0));
          notes.add("layer '" + k.name() + "' (" + k.className() + ") acts only in training: imported as the identity");
          continue;
        }
        Layer layer = mapped.get();
        if (KerasMergeFold.none(k)) { // two outputs: its concat, each output read as a half (KerasBidirectionalHalves)
          halves.split(key(k.name(), c), name);
        }
        GraphNode node = node(mapper, k, name, layer, null, args);
        List<Shape> readShapes = args.stream().map(shapes::get).toList();
        Shape out = node.outputShape(source, readShapes);
        if (c > 0) { // the shared layer's parameters were read with its first call
          nodes.add(node);
          shapes.put(name, out);
          alias.put(key(k.name(), c), name);
          timeSource.put(name, timeSource.get(args.get(0)));
          continue;
        }
        List<ParameterSpec> params = node.parameters(readShapes);
        long size = params.stream().mapToLong(ParameterSpec::size).sum();
        total = Budget.plus(total, size);
        Budget.PARAMETERS.check(source, total);
        boolean derived = KerasDerivedWeights.derives(k);
        boolean required = derived && KerasDerivedWeights.fileWeights(k) >= 0 ? KerasDerivedWeights.fileWeights(k) > 0 : size > 0;
        List<FloatTensor> found = files.weights().layerWeights(k, Math.max(size, 1), required);
        if (derived) {
          found = new ArrayList<>(KerasDerivedWeights.adapt(mapper, k, layer, found, in));
          notes.add("layer '" + k.name() + "' (" + k.className() + ") imported as rnnx " + layer.kind() + " with parameters built"
              + " from the file's (docs/IMPORT.md); its outputs are Keras's");
        }
        KerasImporter.putWeights(mapper, k, layer, params, found, weights);
        nodes.add(node);
        shapes.put(name, out);
        alias.put(key(k.name(), c), name);
        timeSource.put(name, timeSource.get(args.get(0)));
      }
    }
    List<String> outputs = new ArrayList<>();
    for (String o : tensorKeys(config.path("output_layers"), nested)) {
      String t = halves.isSplit(o) ? halves.read(mapper, null, o, alias) : alias.get(o);
      if (t == null || nodes.stream().noneMatch(n -> n.name().equals(t))) {
        throw new ImportException(source + ": output '" + o + "' is " + (t == null ? "no layer of the config" : "a model input")
            + ", expected a layer that computes");
      }
      outputs.add(t);
    }
    try {
      return new Lifted(new Graph(KerasLayers.layerName(config.path("name").asText("model")), inputs, nodes, outputs), weights,
          notes);
    } catch (IllegalArgumentException e) {
      throw new ImportException(source + ": " + e.getMessage());
    }
  }

  /**
   * A tensor's key: the layer's name for its first call, {@code <layer>@<call>} for a later one
   * ({@link #tensorKeys} appends {@code #<index>} for a layer's output other than its first).
   */
  private static String key(String layer, int call) {
    return call == 0 ? layer : layer + "@" + call;
  }

  /**
   * The tensors one call reads (or the model's output list), as {@link #key}s: Keras 2's
   * {@code [layer, node_index, tensor_index, kwargs]} entries, Keras 3's {@code keras_history}.
   */
  static List<String> tensorKeys(JsonNode n) {
    return tensorKeys(n, Map.of());
  }

  /** {@link #tensorKeys} with a nested model's name read as its last layer's ({@link KerasModelConfig#nestedOutputs}). */
  static List<String> tensorKeys(JsonNode n, Map<String, String> nested) {
    List<String> keys = new ArrayList<>();
    for (String k : rawKeys(n)) {
      int at = k.indexOf('@') >= 0 ? k.indexOf('@') : k.indexOf('#') >= 0 ? k.indexOf('#') : k.length();
      String layer = k.substring(0, at);
      keys.add(nested.containsKey(layer) ? nested.get(layer) + k.substring(at) : k);
    }
    return keys;
  }

  private static List<String> rawKeys(JsonNode n) {
    List<String> keys = new ArrayList<>();
    if (n.isObject()) {
      if (n.has("keras_history")) {
        JsonNode h = n.path("keras_history");
        keys.add(key(h.path(0).asText(), h.path(1).asInt(0)) + (h.path(2).asInt(0) > 0 ? "#" + h.path(2).asInt() : ""));
      } else {
        n.forEach(v -> keys.addAll(rawKeys(v)));
      }
    } else if (n.isArray()) {
      if (n.size() >= 3 && n.get(0).isTextual() && n.get(1).isInt()) {
        keys.add(key(n.get(0).asText(), n.get(1).asInt()) + (n.get(2).asInt(0) > 0 ? "#" + n.get(2).asInt() : ""));
        if (n.size() > 3) {
          keys.addAll(rawKeys(n.get(3))); // Keras 2 call kwargs: MultiHeadAttention's value, key
        }
      } else {
        n.forEach(v -> keys.addAll(rawKeys(v)));
      }
    }
    return keys;
  }

  /**
   * The tensors an attention call reads, as {@code [query, value, key]} (key last when given):
   * Keras 2 records {@code MultiHeadAttention(query, value, key)} as the query with the kwargs
   * {@code value} and {@code key} in either order; {@code Attention} reads the list
   * {@code [query, value, key]}.
   */
  private static List<String> attentionKeys(JsonNode call, Map<String, String> nested) {
    List<String> all = tensorKeys(call, nested);
    JsonNode key = call.findValue("key");
    List<String> keyKeys = key == null ? List.of() : tensorKeys(key, nested);
    if (all.size() < 3 || keyKeys.size() != 1) {
      return all;
    }
    List<String> ordered = new ArrayList<>(all);
    ordered.remove(ordered.lastIndexOf(keyKeys.get(0)));
    ordered.add(keyKeys.get(0));
    return ordered;
  }

  private static GraphNode node(KerasLayers mapper, KerasLayerConfig k, String name, Layer layer, GraphMerge merge, List<String> read) {
    try {
      return new GraphNode(name, layer, merge, read);
    } catch (IllegalArgumentException e) {
      throw mapper.refuse(k, e.getMessage());
    }
  }

  private static void checkConcatAxis(KerasLayers mapper, KerasLayerConfig k, Shape first) {
    if (!k.className().equals("Concatenate") || first == null) {
      return;
    }
    int axis = k.config().path("axis").asInt(-1);
    if (axis != -1 && axis != first.rank() - 1) {
      throw mapper.refuse(k, "concatenates on axis " + axis + ", expected the last axis (-1)");
    }
  }

  /**
   * An {@code InputLayer}: float features {@code [batch, time, features]}, or token ids read by
   * embeddings only; masked when its one reader is a {@code Masking} layer, or when every embedding
   * reading it has {@code mask_zero} (id 0).
   */
  private static GraphInput input(String source, KerasLayerConfig k, List<KerasLayerConfig> all, KerasLayers mapper) {
    JsonNode shape = k.config().path("batch_input_shape").isArray() ? k.config().path("batch_input_shape")
        : k.config().path("batch_shape");
    boolean embeddingsOnly = true;
    boolean read = false;
    List<KerasLayerConfig> readers = new ArrayList<>();
    for (KerasLayerConfig other : all) {
      if (KerasModelConfig.inbound(other.inbound()).contains(k.name())) {
        read = true;
        embeddingsOnly &= other.className().equals("Embedding");
        readers.add(other);
      }
    }
    String name = KerasLayers.layerName(k.name());
    long zeroMasks = readers.stream().filter(r -> r.className().equals("Embedding") && r.config().path("mask_zero").asBoolean(false))
        .count();
    if (zeroMasks > 0 && zeroMasks < readers.size()) {
      KerasLayerConfig r = readers.stream().filter(o -> o.config().path("mask_zero").asBoolean(false)).findFirst().orElseThrow();
      throw mapper.refuse(r, "masks id 0 of input '" + k.name() + "', which layers without that mask also read; rnnx imports a"
          + " mask on an input that every reader masks");
    }
    if (read && embeddingsOnly && shape.isArray() && shape.size() == 2) {
      return new GraphInput(name, zeroMasks > 0 ? ModelInput.ofTokens().withMask(0) : ModelInput.ofTokens());
    }
    KerasLayerConfig masking = readers.stream().filter(r -> r.className().equals("Masking")).findFirst().orElse(null);
    if (masking != null && readers.size() > 1) {
      throw mapper.refuse(masking, "masks steps of input '" + k.name() + "', which other layers also read unmasked; rnnx imports"
          + " a Masking layer only right after an input that nothing else reads");
    }
    JsonNode last = shape.path(shape.size() - 1);
    if (!shape.isArray() || shape.size() != 3 || !last.canConvertToInt() || last.asInt() < 1) {
      throw new ImportException(source + ": input layer '" + k.name() + "' declares shape " + shape
          + ", expected [batch, time, features] with a fixed feature count, or [batch, time] token ids read by Embedding layers");
    }
    ModelInput features = ModelInput.ofFeatures(last.asInt());
    return new GraphInput(name, masking == null ? features : features.withMask(KerasImporter.maskValue(mapper, masking)));
  }

  /** The layers in dependency order (Kahn's algorithm), refusing cycles and names no layer defines. */
  private static List<KerasLayerConfig> order(String source, List<KerasLayerConfig> layers) {
    Map<String, KerasLayerConfig> byName = new LinkedHashMap<>();
    layers.forEach(l -> byName.put(l.name(), l));
    Map<String, String> nested = KerasModelConfig.nestedOutputs(layers); // a nested model's name reads as its last layer
    List<KerasLayerConfig> ordered = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    boolean progress = true;
    while (ordered.size() < layers.size() && progress) {
      progress = false;
      for (KerasLayerConfig l : layers) {
        if (done.contains(l.name())) {
          continue;
        }
        List<String> reads = KerasModelConfig.inbound(l.inbound()).stream().map(r -> nested.getOrDefault(r, r)).toList();
        for (String r : reads) {
          if (!byName.containsKey(r)) {
            throw new ImportException(source + ": layer '" + l.name() + "' reads '" + r + "', which no layer of the config defines");
          }
        }
        if (done.containsAll(reads)) {
          ordered.add(l);
          done.add(l.name());
          progress = true;
        }
      }
    }
    if (ordered.size() < layers.size()) {
      String stuck = layers.stream().filter(l -> !done.contains(l.name())).map(KerasLayerConfig::name).findFirst().orElse("?");
      throw new ImportException(source + ": layer '" + stuck + "' is part of a cycle (it depends on its own output);"
          + " expected a directed acyclic graph of layers");
    }
    return ordered;
  }
}

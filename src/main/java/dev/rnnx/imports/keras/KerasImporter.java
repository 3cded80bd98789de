package dev.rnnx.imports.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportSource;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImporter;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads Keras models ({@code .h5}, {@code .keras}, {@code .weights.h5} plus a config JSON) into an
 * rnnx {@link Sequential} (a functional graph that is not a chain: a {@link dev.rnnx.spec.Graph},
 * {@link KerasGraphImport}) and canonical weights. rnnx's canonical layout is Keras's, so a layer's
 * weights are taken as Keras stores them, checked one by one against the shapes the config implies.
 * See {@code docs/IMPORT.md} for the layers, the formats and what is refused.
 */
public final class KerasImporter implements ModelImporter {

  private final Path config;

  /** An importer that finds a weights-only file's config beside it. */
  public KerasImporter() {
    this(null);
  }

  /**
   * An importer with the config JSON of a weights-only file.
   *
   * @param config {@code model.to_json()}'s output, or null to look beside the weights file
   */
  public KerasImporter(Path config) {
    this.config = config;
  }

  @Override
  public boolean accepts(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".h5") || n.endsWith(".hdf5") || n.endsWith(".keras");
  }

  @Override
  public ImportedModel read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ImportException(file + ": file does not exist or is not a regular file, expected a Keras .h5, .keras or .weights.h5 file");
    }
    String sha = ModelImports.sha256(file);
    try (KerasFiles files = KerasFiles.open(file, config)) {
      String source = file.toString();
      if (files.version().major() < 2) {
        throw new ImportException(source + ": was written by Keras " + files.version().text() + ", whose recurrent weights are"
            + " per gate (W_i, U_i, …); rnnx imports files of Keras 2 and 3");
      }
      if (KerasGraphImport.isGraph(files.config())) {
        KerasGraphImport.Lifted g = KerasGraphImport.lift(source, files.config(), files);
        List<String> notes = new ArrayList<>(g.notes());
        notes.add("Keras " + files.version().text() + ", backend " + files.backend() + "; a functional graph imported as rnnx's graph"
            + " model kind; optimizer state and training config are not imported");
        try {
          return new ImportedModel(g.graph(), new Weights(g.weights()), new ImportSource(file, sha, files.format(), "keras",
              files.version().text()), notes);
        } catch (IllegalArgumentException e) {
          throw new ImportException(source + ": " + e.getMessage());
        }
      }
      KerasModelConfig model = KerasModelConfig.parse(source, files.config());
      List<String> notes = new ArrayList<>();
      List<KerasLayerConfig> chain = KerasMergeFold.fold(source, model.layers());
      KerasLayers mapper = new KerasLayers(source, files.version(), declaredSteps(chain));
      ModelInput input = input(source, chain);
      int lastIndex = lastMapped(chain);
      Shape shape = input.shape();
      List<Layer> layers = new ArrayList<>();
      Map<String, FloatTensor> weights = new LinkedHashMap<>();
      long total = 0;
      for (int i = 0; i < chain.size(); i++) {
        KerasLayerConfig k = chain.get(i);
        if (k.className().equals("InputLayer")) {
          continue;
        }
        if (k.className().equals("Masking") && layers.isEmpty() && !input.masked()) {
          input = input.withMask(maskValue(mapper, k));
          continue;
        }
        if (k.className().equals("Embedding") && k.config().path("mask_zero").asBoolean(false)) {
          input = input.withMask(0); // Keras's Embedding(mask_zero=True) masks id 0
        }
        if (k.className().equals("Activation")) {
          foldActivation(mapper, k, layers, i == lastIndex);
          continue;
        }
        Optional<Layer> mapped = mapper.map(k, shape, i == lastIndex);
        long size = mapped.map(shapeOf(shape)).orElse(0L);
        total = Budget.plus(total, size);
        Budget.PARAMETERS.check(source, total);
        boolean derived = mapped.isPresent() && KerasDerivedWeights.derives(k);
        boolean required = derived && KerasDerivedWeights.fileWeights(k) >= 0 ? KerasDerivedWeights.fileWeights(k) > 0 : size > 0;
        List<FloatTensor> found = files.weights().layerWeights(k, Math.max(size, 1), required);
        if (mapped.isEmpty()) {
          if (!found.isEmpty()) {
            throw mapper.refuse(k, "holds " + found.size() + " weight(s), expected none for a layer that only acts in training");
          }
          notes.add("layer '" + k.name() + "' (" + k.className() + ") acts only in training: imported as the identity");
          continue;
        }
        Layer layer = mapped.get();
        if (derived) {
          found = new ArrayList<>(KerasDerivedWeights.adapt(mapper, k, layer, found, shape));
          notes.add("layer '" + k.name() + "' (" + k.className() + ") imported as rnnx " + layer.kind() + " with parameters built"
              + " from the file's (docs/IMPORT.md); its outputs are Keras's");
        }
        putWeights(mapper, k, layer, layer.parameters(shape), found, weights);
        layers.add(layer);
        shape = layer.outputShapes(shape).get(0);
      }
      if (layers.isEmpty()) {
        throw new ImportException(source + ": the model has no layer rnnx computes (only inputs and training-only layers)");
      }
      Sequential spec;
      try {
        spec = new Sequential(KerasLayers.layerName(model.name()), input, layers);
      } catch (IllegalArgumentException e) {
        throw new ImportException(source + ": " + e.getMessage());
      }
      notes.add("Keras " + files.version().text() + ", backend " + files.backend() + "; optimizer state and training config"
          + " are not imported");
      try {
        return new ImportedModel(spec, new Weights(weights), new ImportSource(file, sha, files.format(), "keras",
            files.version().text()), notes);
      } catch (IllegalArgumentException e) {
        throw new ImportException(source + ": " + e.getMessage());
      }
    }
  }

  /**
   * Checks a layer's weights from the file against its parameters (count, then each shape; Keras's
   * {@code [d, heads, key_dim]} attention kernels read as {@code [d, heads·key_dim]}) and puts them
   * under the parameters' names.
   *
   * @throws ImportException naming the file, the layer and the weight
   */
  static void putWeights(KerasLayers mapper, KerasLayerConfig k, Layer layer, List<ParameterSpec> params, List<FloatTensor> found,
      Map<String, FloatTensor> weights) {
    if (found.size() != params.size()) {
      throw mapper.refuse(k, "holds " + found.size() + " weight(s) in the file, expected " + params.size() + " ("
          + params.stream().map(p -> p.name().substring(layer.name().length() + 1) + Arrays.toString(p.shape())).toList()
          + ") from its config");
    }
    for (int j = 0; j < params.size(); j++) {
      ParameterSpec p = params.get(j);
      long[] want = Arrays.stream(p.shape()).asLongStream().toArray();
      if (layer instanceof MultiHeadAttention && mergesTo(found.get(j).shape(), want)) {
        found.set(j, new FloatTensor(want, found.get(j).data())); // Keras's [d, heads, key_dim] is rnnx's [d, heads·key_dim]
      }
      if (!Arrays.equals(want, found.get(j).shape())) {
        throw mapper.refuse(k, "weight " + (j + 1) + " (" + p.name().substring(layer.name().length() + 1) + ") has shape "
            + Arrays.toString(found.get(j).shape()) + " in the file, but the config implies " + Arrays.toString(want));
      }
      weights.put(p.name(), found.get(j));
    }
  }

  /** A Masking layer's {@code mask_value} (Keras's default 0.0). */
  static double maskValue(KerasLayers mapper, KerasLayerConfig k) {
    JsonNode v = k.config().path("mask_value");
    if (v.isMissingNode() || v.isNull()) {
      return 0.0;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw mapper.refuse(k, "has mask_value " + v + ", expected a finite number");
    }
    return v.asDouble();
  }

  /** Whether {@code file} becomes {@code want} by merging two adjacent axes (row-major data unchanged). */
  static boolean mergesTo(long[] file, long[] want) {
    if (file.length != want.length + 1) {
      return false;
    }
    for (int i = 0; i + 1 < file.length; i++) {
      long[] merged = new long[want.length];
      for (int a = 0, b = 0; a < file.length; a++, b++) {
        merged[b] = a == i ? file[a] * file[++a] : file[a];
      }
      if (Arrays.equals(merged, want)) {
        return true;
      }
    }
    return false;
  }

  private static java.util.function.Function<Layer, Long> shapeOf(Shape input) {
    return l -> l.parameters(input).stream().mapToLong(ParameterSpec::size).sum();
  }

  /** The index of the last layer that becomes an rnnx layer (not an input, training-only layer or activation). */
  private static int lastMapped(List<KerasLayerConfig> chain) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      String c = chain.get(i).className();
      if (!c.equals("InputLayer") && !c.equals("Activation") && !KerasLayers.IDENTITY.contains(c)) {
        return i;
      }
    }
    return -1;
  }

  /** An {@code Activation} layer becomes the activation of the linear dense layer before it. */
  private static void foldActivation(KerasLayers mapper, KerasLayerConfig k, List<Layer> layers, boolean last) {
    Layer prev = layers.isEmpty() ? null : layers.get(layers.size() - 1);
    Dense dense = prev instanceof Dense d ? d : prev instanceof TimeDistributed t ? t.layer() : null;
    if (dense == null || dense.activation() != dev.rnnx.spec.Activation.LINEAR) {
      throw mapper.refuse(k, "follows " + (prev == null ? "no layer" : "layer '" + prev.name() + "'")
          + "; rnnx imports an Activation layer only right after a Dense layer with activation linear");
    }
    Dense withAct = new Dense(dense.name(), dense.units(), mapper.activation(k.config(), "activation", "linear", k, false),
        dense.useBias(), dense.kernelInitializer(), dense.biasInitializer());
    layers.set(layers.size() - 1, prev instanceof TimeDistributed t ? new TimeDistributed(t.name(), withAct) : withAct);
  }

  /** The model input: token ids when the first computing layer is an Embedding, else the features of the declared shape. */
  private static ModelInput input(String source, List<KerasLayerConfig> chain) {
    if (chain.stream().filter(k -> !k.className().equals("InputLayer") && !KerasLayers.IDENTITY.contains(k.className()))
        .findFirst().map(k -> k.className().equals("Embedding")).orElse(false)) {
      return ModelInput.ofTokens();
    }
    for (KerasLayerConfig k : chain) {
      JsonNode shape = declaredShape(k.config());
      if (shape != null) {
        JsonNode last = shape.get(shape.size() - 1);
        if (shape.size() != 3 || !last.canConvertToInt() || last.asInt() < 1) {
          throw new ImportException(source + ": layer '" + k.name() + "' declares input shape " + shape
              + ", expected [batch, time, features] with a fixed feature count");
        }
        return ModelInput.ofFeatures(last.asInt());
      }
      if (!k.className().equals("InputLayer") && !k.className().equals("Masking") && !KerasLayers.IDENTITY.contains(k.className())) {
        break;
      }
    }
    throw new ImportException(source + ": the model declares no input shape (batch_input_shape, batch_shape or an InputLayer),"
        + " expected [batch, time, features]");
  }

  /** The time length the model input declares ({@code [batch, T, …]} with a number T, or an Embedding's {@code input_length}), else dynamic. */
  private static int declaredSteps(List<KerasLayerConfig> chain) {
    for (KerasLayerConfig k : chain) {
      JsonNode shape = declaredShape(k.config());
      if (shape != null) {
        JsonNode t = shape.path(1);
        return shape.size() >= 2 && t.canConvertToInt() && t.asInt() > 0 ? t.asInt() : Shape.DYNAMIC;
      }
      JsonNode length = k.config().path("input_length");
      if (k.className().equals("Embedding") && length.canConvertToInt() && length.asInt() > 0) {
        return length.asInt();
      }
    }
    return Shape.DYNAMIC;
  }

  private static JsonNode declaredShape(JsonNode c) {
    for (String key : new String[] {"batch_input_shape", "batch_shape"}) {
      if (c.path(key).isArray()) {
        return c.path(key);
      }
    }
    JsonNode build = c.path("build_config").path("input_shape");
    return build.isArray() ? build : null;
  }
}

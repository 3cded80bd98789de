package dev.rnnx.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads and writes recipes as YAML. Reading is strict: every field is type-checked, unknown fields
 * are refused, and every error is a {@link RecipeException} naming the file and the field.
 * {@code parse(write(r))} equals {@code r} for every valid recipe.
 */
public final class RecipeCodec {

  private static final YAMLMapper YAML = YAMLMapper.builder(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build())
      .build();

  /** Reads a layer record's fields (after {@code type} and {@code name}). */
  private record LayerFormat(
      BiFunction<RecipeNode, String, Layer> reader, Function<Layer, Map<String, Object>> writer) {}

  private static final Map<String, LayerFormat> LAYERS = new LinkedHashMap<>();

  static {
    LAYERS.put(Dense.KIND, new LayerFormat(
        (n, name) -> new Dense(
            name,
            n.integer("units"),
            n.parse("activation", n.string("activation", "linear"), Activation::fromName),
            n.bool("use_bias", true)),
        l -> {
          Dense d = (Dense) l;
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("units", d.units());
          m.put("activation", d.activation().recipeName());
          m.put("use_bias", d.useBias());
          return m;
        }));
    LAYERS.put(Lstm.KIND, new LayerFormat(
        (n, name) -> new Lstm(
            name,
            n.integer("units"),
            n.bool("return_sequences", false),
            n.bool("return_state", false),
            n.parse("activation", n.string("activation", "tanh"), Activation::fromName),
            n.parse("recurrent_activation", n.string("recurrent_activation", "sigmoid"), Activation::fromName),
            n.bool("use_bias", true)),
        l -> {
          Lstm s = (Lstm) l;
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("units", s.units());
          m.put("return_sequences", s.returnSequences());
          m.put("return_state", s.returnState());
          m.put("activation", s.activation().recipeName());
          m.put("recurrent_activation", s.recurrentActivation().recipeName());
          m.put("use_bias", s.useBias());
          return m;
        }));
  }

  private RecipeCodec() {}

  /** The layer kinds recipes may use. */
  public static List<String> layerKinds() {
    return List.copyOf(LAYERS.keySet());
  }

  /**
   * Reads a recipe file.
   *
   * @throws RecipeException when the file is missing, unreadable or invalid
   */
  public static Recipe read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new RecipeException(file.toString(), "", "file does not exist, expected a YAML recipe");
    } catch (IOException e) {
      throw new RecipeException(file.toString(), "", "cannot be read as UTF-8 text (" + e.getMessage() + ")");
    }
    return parse(text, file.toString());
  }

  /**
   * Parses recipe text.
   *
   * @param source names the origin in error messages
   */
  public static Recipe parse(String text, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RecipeException(source, "", "is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    }
    RecipeNode top = new RecipeNode(source, "", root);
    try {
      Recipe recipe = new Recipe(
          top.string("name"),
          top.string("description", ""),
          top.longValue("seed"),
          readModel(top.child("model"), top.string("name")),
          readData(top.child("data")),
          readTraining(top.child("training")),
          readExport(top.has("export") ? top.child("export") : null),
          readTolerances(top.has("tolerances") ? top.child("tolerances") : null));
      top.rejectUnknown();
      return recipe;
    } catch (RecipeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new RecipeException(source, "", e.getMessage());
    }
  }

  private static Sequential readModel(RecipeNode n, String recipeName) {
    int features = n.integer("input_features");
    if (features < 1) {
      throw n.error("input_features", "is " + features + ", expected a positive integer");
    }
    List<RecipeNode> items = n.list("layers");
    if (items.isEmpty()) {
      throw n.error("layers", "is empty, expected at least one layer");
    }
    List<Layer> layers = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (RecipeNode item : items) {
      String type = item.string("type");
      LayerFormat format = LAYERS.get(type);
      if (format == null) {
        throw item.error("type", "unknown layer type '" + type + "', expected one of " + layerKinds());
      }
      int index = counts.merge(type, 1, Integer::sum) - 1;
      String name = item.string("name", index == 0 ? type : type + "_" + index);
      try {
        layers.add(format.reader().apply(item, name));
      } catch (RecipeException e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw item.error("", e.getMessage());
      }
      item.rejectUnknown();
    }
    String name = n.string("name", recipeName.replaceAll("[^A-Za-z0-9_\\-]", "_"));
    Sequential model;
    try {
      model = new Sequential(name.matches("[A-Za-z].*") ? name : "m_" + name, features, layers);
    } catch (IllegalArgumentException e) {
      throw n.error("layers", e.getMessage());
    }
    n.rejectUnknown();
    return model;
  }

  private static DataSpec readData(RecipeNode n) {
    String task = n.string("task");
    DataSpec spec;
    if (SineTask.TASK.equals(task)) {
      spec = checked(n, () -> new SineTask(
          n.integer("window"),
          n.integer("samples"),
          n.number("period", 20.0),
          n.number("noise", 0.0),
          n.number("validation_fraction", 0.2)));
    } else {
      throw n.error("task", "unknown task '" + task + "', expected one of [" + SineTask.TASK + "]");
    }
    n.rejectUnknown();
    return spec;
  }

  private static TrainingSpec readTraining(RecipeNode n) {
    TrainingSpec spec = checked(n, () -> new TrainingSpec(
        n.parse("loss", n.string("loss"), Loss::fromName),
        n.parse("optimizer", n.string("optimizer"), OptimizerKind::fromName),
        n.number("learning_rate"),
        n.integer("epochs"),
        n.integer("batch_size")));
    n.rejectUnknown();
    return spec;
  }

  private static ExportSpec readExport(RecipeNode n) {
    if (n == null) {
      return new ExportSpec(ExportSpec.DEFAULT_OPSET, 100);
    }
    ExportSpec spec = checked(n, () -> new ExportSpec(
        n.integer("opset", ExportSpec.DEFAULT_OPSET), n.integer("max_sequence_length", 100)));
    n.rejectUnknown();
    return spec;
  }

  private static Tolerances readTolerances(RecipeNode n) {
    if (n == null) {
      return Tolerances.DEFAULT;
    }
    Tolerances t = checked(n, () -> new Tolerances(n.number("atol", 1e-5), n.number("rtol", 1e-5)));
    n.rejectUnknown();
    return t;
  }

  /** Runs a record constructor, re-raising its validation error against this mapping. */
  private static <T> T checked(RecipeNode n, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (RecipeException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw n.error("", e.getMessage());
    }
  }

  /** Writes a recipe as YAML text that {@link #parse} reads back to an equal recipe. */
  public static String write(Recipe r) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", r.name());
    root.put("description", r.description());
    root.put("seed", r.seed());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("name", r.model().name());
    model.put("input_features", r.model().inputFeatures());
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Layer layer : r.model().layers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", layer.kind());
      m.put("name", layer.name());
      m.putAll(LAYERS.get(layer.kind()).writer().apply(layer));
      layers.add(m);
    }
    model.put("layers", layers);
    root.put("model", model);
    root.put("data", writeData(r.data()));
    TrainingSpec t = r.training();
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("loss", t.loss().recipeName());
    training.put("optimizer", t.optimizer().recipeName());
    training.put("learning_rate", t.learningRate());
    training.put("epochs", t.epochs());
    training.put("batch_size", t.batchSize());
    root.put("training", training);
    root.put("export", Map.of("opset", r.export().opset(), "max_sequence_length", r.export().maxSequenceLength()));
    Map<String, Object> tol = new LinkedHashMap<>();
    tol.put("atol", r.tolerances().atol());
    tol.put("rtol", r.tolerances().rtol());
    root.put("tolerances", tol);
    try {
      return YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise recipe " + r.name(), e);
    }
  }

  private static Map<String, Object> writeData(DataSpec data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", data.task());
    if (data instanceof SineTask s) {
      m.put("window", s.window());
      m.put("samples", s.samples());
      m.put("period", s.period());
      m.put("noise", s.noise());
    }
    m.put("validation_fraction", data.validationFraction());
    return m;
  }
}

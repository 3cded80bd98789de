package dev.rnnx.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.StrictParsing;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SavedModel's weights lifted into rnnx's canonical form ({@link SavedModelTensors} reads them);
 * the lifted model's one note says how ({@link #RECIPE} or {@link #NAMES}).
 * An rnnx SavedModel records its recipe in {@code rnnx-provenance.json} and keeps every parameter as
 * a constant named after it, in the recipe's parameter order ({@code lstm/kernel}; TensorFlow may
 * make a scope unique as {@code lstm_1/recurrent_kernel}): the recipe gives the spec, the constants
 * the weights, matched in order by name and shape. A SavedModel from elsewhere (Keras, {@code tf.saved_model.save}) is lifted onto a spec
 * known from elsewhere (the ONNX file of the same model): each parameter takes the first unused
 * variable or constant whose name ends in the parameter's Keras role ({@code kernel},
 * {@code recurrent_kernel}, {@code bias}, {@code embeddings}, {@code gamma}, {@code beta}) and whose
 * shape is the parameter's, in the natural order of the names ({@code lstm/lstm_cell/kernel},
 * {@code layer_with_weights-0/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE}), a {@code backward} name for a
 * backward direction (an rnnx SavedModel whose provenance records no recipe too). The same
 * architecture is assumed; the shapes are what checks it.
 */
public final class SavedModelLift {

  /** The note of a SavedModel lifted through its recorded rnnx recipe. */
  public static final String RECIPE = "lifted through its recorded rnnx recipe";
  /** The note of a SavedModel lifted onto a known architecture by variable names and shapes. */
  public static final String NAMES = "lifted onto the ONNX file's architecture by Keras variable names and shapes";

  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private SavedModelLift() {}

  /** Whether {@code dir} is an rnnx SavedModel (it holds {@value Provenance#SAVED_MODEL_FILE}). */
  public static boolean isRnnx(Path dir) {
    return Files.isRegularFile(dir.resolve(Provenance.SAVED_MODEL_FILE));
  }

  /**
   * Lifts the SavedModel in {@code dir}.
   *
   * @param known the spec to lift a SavedModel from elsewhere onto, or null (then only an rnnx
   *     SavedModel lifts)
   * @throws ImportException naming the SavedModel and what is missing, in one line
   */
  public static ImportedModel lift(Path dir, ModelSpec known) {
    String recipeYaml = isRnnx(dir) ? recordedRecipe(dir) : "";
    if (!recipeYaml.isBlank() || known == null && isRnnx(dir)) {
      if (recipeYaml.isBlank()) {
        throw new ImportException(dir.resolve(Provenance.SAVED_MODEL_FILE) + ": records no recipe text, expected rnnx.recipe_yaml");
      }
      Recipe recipe = RecipeCodec.parse(recipeYaml, dir.resolve(Provenance.SAVED_MODEL_FILE) + " (recorded recipe)");
      Map<String, FloatTensor> constants = SavedModelTensors.constants(dir);
      List<String> nodes = new ArrayList<>(constants.keySet());
      Map<String, FloatTensor> picked = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      int from = 0;
      for (ParameterSpec p : recipe.model().parameters()) {
        Pattern name = scoped(p.name());
        long[] shape = Arrays.stream(p.shape()).asLongStream().toArray();
        int at = from;
        while (at < nodes.size() && !(name.matcher(nodes.get(at)).matches()
            && Arrays.equals(constants.get(nodes.get(at)).shape(), shape))) {
          at++;
        }
        if (at == nodes.size()) {
          missing.add(p.name());
        } else {
          picked.put(p.name(), constants.get(nodes.get(at)));
          from = at + 1;
        }
      }
      if (!missing.isEmpty()) {
        throw new ImportException(dir + ": the recorded recipe's parameters " + missing + " are no constants of"
            + " saved_model.pb");
      }
      return new ImportedModel(recipe.model(), new Weights(picked), source(dir, "rnnx"), List.of(RECIPE));
    }
    if (known == null) {
      throw new ImportException(dir + ": a SavedModel from elsewhere lifts only onto a known architecture (an ONNX file of"
          + " the same model)");
    }
    Map<String, FloatTensor> all = new LinkedHashMap<>(SavedModelTensors.variables(dir));
    SavedModelTensors.constants(dir).forEach(all::putIfAbsent);
    List<String> names = new ArrayList<>(all.keySet());
    names.removeIf(n -> n.toLowerCase(java.util.Locale.ROOT).contains("optimizer"));
    names.sort(naturalOrder());
    Set<String> used = new HashSet<>();
    Map<String, FloatTensor> picked = new LinkedHashMap<>();
    for (ParameterSpec p : known.parameters()) {
      String role = p.name().substring(p.name().lastIndexOf('/') + 1);
      boolean backward = p.name().contains("/backward/");
      long[] shape = Arrays.stream(p.shape()).asLongStream().toArray();
      String found = names.stream().filter(n -> !used.contains(n) && role(n).equals(role)
          && n.contains("backward") == backward && Arrays.equals(all.get(n).shape(), shape)).findFirst().orElse(null);
      if (found == null) {
        throw new ImportException(dir + ": no variable fits parameter " + p + " (a name ending in '" + role + "' of shape "
            + Arrays.toString(p.shape()) + "); the SavedModel holds " + describe(names, all));
      }
      used.add(found);
      picked.put(p.name(), all.get(found));
    }
    return new ImportedModel(known, new Weights(picked), source(dir, isRnnx(dir) ? "rnnx" : "unknown"), List.of(NAMES));
  }

  /** The recipe text {@value Provenance#SAVED_MODEL_FILE} records, or "" when it records none. */
  private static String recordedRecipe(Path dir) {
    JsonNode root = StrictParsing.readJson(dir.resolve(Provenance.SAVED_MODEL_FILE));
    Map<String, String> meta = new LinkedHashMap<>();
    root.path("metadata").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
    return Provenance.fromMetadata(meta).recipeYaml();
  }

  /**
   * The names TensorFlow gives a constant created under a parameter's name: every scope may carry
   * the {@code _N} TensorFlow appends to make it unique ({@code lstm/recurrent_kernel} may be
   * {@code lstm_1/recurrent_kernel}).
   */
  static Pattern scoped(String parameter) {
    String[] parts = parameter.split("/");
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      re.append(Pattern.quote(parts[i])).append(i < parts.length - 1 ? "(_\\d+)?/" : "");
    }
    return Pattern.compile(re.toString());
  }

  /** The Keras role a variable name ends in: {@code lstm/lstm_cell/kernel:0} and {@code .../kernel/.ATTRIBUTES/...} give kernel. */
  static String role(String name) {
    String n = name.replaceFirst("/\\.ATTRIBUTES/.*$", "").replaceFirst(":\\d+$", "");
    return n.substring(n.lastIndexOf('/') + 1);
  }

  private static String describe(List<String> names, Map<String, FloatTensor> all) {
    List<String> parts = new ArrayList<>();
    names.stream().limit(12).forEach(n -> parts.add(n + Arrays.toString(all.get(n).shape())));
    return names.isEmpty() ? "no float variables" : parts + (names.size() > 12 ? " and " + (names.size() - 12) + " more" : "");
  }

  /** Names compared with their digit runs as numbers, so that {@code layer-2} precedes {@code layer-10}. */
  private static Comparator<String> naturalOrder() {
    return (a, b) -> {
      Matcher ma = NUMBER.matcher(a);
      Matcher mb = NUMBER.matcher(b);
      String ka = ma.replaceAll(m -> String.format("%020d", new java.math.BigInteger(m.group()).min(
          java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue()));
      String kb = mb.replaceAll(m -> String.format("%020d", new java.math.BigInteger(m.group()).min(
          java.math.BigInteger.valueOf(Long.MAX_VALUE)).longValue()));
      return ka.compareTo(kb);
    };
  }

  private static ImportSource source(Path dir, String framework) {
    Path pb = dir.resolve("saved_model.pb");
    return new ImportSource(pb, ModelImports.sha256(pb), "saved-model", framework, null);
  }
}

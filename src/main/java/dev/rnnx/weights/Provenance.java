package dev.rnnx.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where an artifact came from: the recipe (name and full text), the seed, the versions of every
 * library that touched it, and its training metrics. Written into ONNX {@code metadata_props},
 * the safetensors header and beside the SavedModel, and read back equal.
 *
 * @param recipe the recipe name
 * @param recipeYaml the full recipe text, so the run can be repeated
 * @param seed the recipe's seed
 * @param versions library versions by short name ({@code rnnx}, {@code tensorflow}, ...)
 * @param metrics training metrics by name ({@code final_loss}, {@code val_mse}, ...)
 */
public record Provenance(
    String recipe, String recipeYaml, long seed, Map<String, String> versions, Map<String, Double> metrics) {

  /** The file beside {@code saved_model.pb} that holds an rnnx SavedModel's provenance (JSON). */
  public static final String SAVED_MODEL_FILE = "rnnx-provenance.json";

  private static final String PREFIX = "rnnx.";

  /**
   * Copies the maps, sorted by key (unmodifiable; no null keys or values), so that equal provenance
   * compares equal and is written in the same order by every JVM.
   */
  public Provenance {
    versions = Collections.unmodifiableSortedMap(new TreeMap<>(Map.copyOf(versions)));
    metrics = Collections.unmodifiableSortedMap(new TreeMap<>(Map.copyOf(metrics)));
  }

  /**
   * The versions of rnnx and the libraries it was built against, recorded by Maven at build time
   * ({@code versions.properties}), plus the running Java version. No native code is loaded.
   */
  public static Map<String, String> libraryVersions() {
    Map<String, String> v = new TreeMap<>();
    try (InputStream in = Provenance.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        throw new IllegalStateException("versions.properties is missing from the rnnx jar; rebuild with Maven");
      }
      Properties p = new Properties();
      p.load(in);
      p.stringPropertyNames().forEach(k -> v.put(k, p.getProperty(k)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read versions.properties", e);
    }
    v.put("java", System.getProperty("java.version"));
    return v;
  }

  /**
   * Flat string pairs with keys {@code rnnx.recipe}, {@code rnnx.version.<lib>}, {@code rnnx.metric.<name>},
   * in that order, versions and metrics sorted by name.
   */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(PREFIX + "recipe", recipe);
    m.put(PREFIX + "recipe_yaml", recipeYaml);
    m.put(PREFIX + "seed", Long.toString(seed));
    new TreeMap<>(versions).forEach((k, val) -> m.put(PREFIX + "version." + k, val));
    new TreeMap<>(metrics).forEach((k, val) -> m.put(PREFIX + "metric." + k, Double.toString(val)));
    return m;
  }

  /**
   * Reads provenance back from {@link #toMetadata()}'s pairs; other keys are ignored.
   *
   * @throws IllegalArgumentException when the recipe or seed is absent
   */
  public static Provenance fromMetadata(Map<String, String> m) {
    String recipe = m.get(PREFIX + "recipe");
    String seed = m.get(PREFIX + "seed");
    if (recipe == null || seed == null) {
      throw new IllegalArgumentException("metadata holds no rnnx provenance (keys rnnx.recipe and rnnx.seed are missing)");
    }
    Map<String, String> versions = new TreeMap<>();
    Map<String, Double> metrics = new TreeMap<>();
    m.forEach((k, v) -> {
      if (k.startsWith(PREFIX + "version.")) {
        versions.put(k.substring((PREFIX + "version.").length()), v);
      } else if (k.startsWith(PREFIX + "metric.")) {
        metrics.put(k.substring((PREFIX + "metric.").length()), metric(k, v));
      }
    });
    return new Provenance(recipe, m.getOrDefault(PREFIX + "recipe_yaml", ""), seed(seed), versions, metrics);
  }

  /** A metric of the metadata, refused with its key (never a bare "For input string"). */
  private static double metric(String key, String value) {
    try {
      return Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata " + key + " is '" + value + "', expected a number");
    }
  }

  private static long seed(String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metadata " + PREFIX + "seed is '" + value + "', expected an integer");
    }
  }
}

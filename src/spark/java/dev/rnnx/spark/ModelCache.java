package dev.rnnx.spark;

import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.RunFolder;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM, one per run folder: loaded by the first task that needs one and reused
 * by every later task of every job on this executor (and by the driver in local mode), closed when
 * the JVM exits. Each model has a pool of predictors, one per task slot, so concurrent tasks do not
 * wait for each other.
 */
public final class ModelCache {

  /** A loaded run: its recipe, its model (sequential or graph) and the served model. */
  public record Loaded(Recipe recipe, ModelSpec spec, RnnxModel model) {

    /** The model as a sequential one, for the paths that take only those. */
    public Sequential sequential() {
      return (Sequential) spec;
    }
  }

  private static final Map<String, Loaded> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ModelCache::closeAll, "rnnx-model-cache-close"));
  }

  private ModelCache() {}

  /**
   * The model of a run folder, loaded on first use with {@code poolSize} predictors.
   *
   * @throws IllegalArgumentException when the folder is missing, not a run of a sequential or graph model,
   *     or its model cannot be loaded
   */
  public static Loaded get(String runDir, int poolSize) {
    String key = Path.of(runDir).toAbsolutePath().normalize() + "#" + poolSize;
    return MODELS.computeIfAbsent(key, k -> load(Path.of(runDir), poolSize));
  }

  private static Loaded load(Path dir, int poolSize) {
    Recipe recipe = RunFolder.open(dir).recipe();
    SparkScorer.checkKind(dir, recipe.model());
    LOADS.incrementAndGet();
    return new Loaded(recipe, recipe.model(), RnnxModel.builder(dir).optPoolSize(poolSize).build());
  }

  /** How many models this JVM has loaded so far (a model reused across tasks counts once). */
  public static int loads() {
    return LOADS.get();
  }

  private static void closeAll() {
    MODELS.values().forEach(m -> m.model().close());
    MODELS.clear();
  }
}

package dev.rnnx.data;

import dev.rnnx.spec.ParallelTextTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run in a child JVM by {@link TenfoldCorpusHeapTest}: reads a {@code parallel-text} recipe's
 * corpus and prints the pairs kept, the heap the loaded corpus keeps after a full collection, and
 * the JVM's heap limit, one {@code key=value} per line. Within {@code -Xmx2g} it exits 0; an
 * {@link OutOfMemoryError} ends the JVM with an error instead.
 */
public final class CorpusHeapProbe {

  private CorpusHeapProbe() {}

  /** {@code args[0]}: the recipe. */
  public static void main(String[] args) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long start = System.nanoTime();
    Recipe recipe = RecipeCodec.read(Path.of(args[0]));
    ParallelText corpus = ParallelText.read((ParallelTextTask) recipe.data());
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    System.gc();
    long kept = memory.getHeapMemoryUsage().getUsed();
    @SuppressWarnings("unchecked")
    Map<String, Object> training = (Map<String, Object>) corpus.statistics().get("training");
    System.out.println("pairs_kept=" + training.get("pairs_kept"));
    System.out.println("training_rows=" + corpus.split().train().size());
    System.out.println("heap_kept_mib=" + kept / (1024 * 1024));
    System.out.println("max_heap_mib=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.println("seconds=" + seconds);
  }
}

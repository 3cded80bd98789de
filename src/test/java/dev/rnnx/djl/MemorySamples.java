package dev.rnnx.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Memory of this JVM sampled during a soak, each sample after a full GC: resident memory ({@code
 * VmRSS}), the part outside the Java heap (VmRSS less the committed heap: native engine memory,
 * malloc arenas, metaspace, JIT code) and the live heap, in kB. glibc's per-thread malloc arenas
 * make single samples swing by 100 MB either way (measured); a leak raises the floor, so soaks
 * compare the lowest samples of the first and last quarters ({@link #nativeGrowthKb}, {@link
 * #heapGrowthKb}). Shared by the soaks of the serving layer and of the server.
 */
public final class MemorySamples {

  /** Memory outside the heap may rise this much after warm-up, no more. */
  public static final long NATIVE_SLACK_KB = 32 * 1024;
  /** Live heap after a full GC may grow this much after warm-up. */
  public static final long HEAP_SLACK_KB = 16 * 1024;

  private final List<Long> rss = new ArrayList<>();
  private final List<Long> outsideHeap = new ArrayList<>();
  private final List<Long> liveHeap = new ArrayList<>();

  /** This process's VmRSS in kB. */
  public static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  /** Takes one sample after a full GC. */
  public void sample() throws IOException {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long r = rssKb();
    rss.add(r);
    outsideHeap.add(r - rt.totalMemory() / 1024);
    liveHeap.add((rt.totalMemory() - rt.freeMemory()) / 1024);
  }

  /**
   * Samples every 250 ms until {@code endNanos} or until every task is done, waits for them all
   * (a failed task fails here), then takes a last sample.
   */
  public void sampleWhile(long endNanos, List<? extends Future<?>> tasks) throws Exception {
    while (System.nanoTime() < endNanos && tasks.stream().anyMatch(f -> !f.isDone())) {
      sample();
      Thread.sleep(250);
    }
    for (Future<?> f : tasks) {
      f.get();
    }
    sample();
  }

  /** Samples taken. */
  public int size() {
    return rss.size();
  }

  private int quarter() {
    return Math.max(1, rss.size() / 4);
  }

  /** Growth of the floor of memory outside the heap from the first quarter to the last, kB. */
  public long nativeGrowthKb() {
    return floor(outsideHeap, rss.size() - quarter(), rss.size()) - floor(outsideHeap, 0, quarter());
  }

  /** Growth of the floor of the live heap from the first quarter to the last, kB. */
  public long heapGrowthKb() {
    return floor(liveHeap, rss.size() - quarter(), rss.size()) - floor(liveHeap, 0, quarter());
  }

  /** First, min, max and last of VmRSS, outside the heap and the live heap, and the two quarters' floors outside the heap, MB. */
  @Override
  public String toString() {
    return "MB (first, min, max, last): VmRSS " + summary(rss) + ", outside the heap " + summary(outsideHeap) + ", live heap "
        + summary(liveHeap) + "; outside the heap, lowest of the first and last quarter: " + floor(outsideHeap, 0, quarter()) / 1024
        + ", " + floor(outsideHeap, rss.size() - quarter(), rss.size()) / 1024 + " MB";
  }

  private static List<Long> summary(List<Long> kb) {
    long min = kb.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = kb.stream().mapToLong(Long::longValue).max().orElseThrow();
    return List.of(kb.get(0) / 1024, min / 1024, max / 1024, kb.get(kb.size() - 1) / 1024);
  }

  private static long floor(List<Long> kb, int from, int to) {
    return kb.subList(from, to).stream().mapToLong(Long::longValue).min().orElseThrow();
  }
}

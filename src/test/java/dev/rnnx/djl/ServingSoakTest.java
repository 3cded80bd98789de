package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: 16 request threads on one model, with dynamic batching, for {@code rnnx.soak.seconds}
 * (8 s in the default run, 60 s with {@code -Psoak}) or 5 million requests, whichever comes first.
 * No request fails, every answer equals the single-threaded one for the same sequence, and memory
 * stays flat after warm-up: resident memory ({@code VmRSS}) outside the Java heap, and the live heap,
 * sampled every 250 ms.
 */
class ServingSoakTest {

  private static final int THREADS = 16;
  private static final long MAX_REQUESTS = 5_000_000;
  /**
   * Resident memory outside the Java heap (VmRSS less the committed heap: native engine memory,
   * malloc arenas, metaspace, JIT code) may rise this much after warm-up, no more. The heap itself grows and
   * shrinks with the collector's sizing, so its live part is checked separately.
   */
  private static final long NATIVE_SLACK_KB = 32 * 1024;
  /** Live heap after a full GC may grow this much after warm-up. */
  private static final long HEAP_SLACK_KB = 16 * 1024;

  @TempDir Path tmp;

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void sixteenThreadsGetSingleThreadedAnswersWithFlatMemory() throws Exception {
    double seconds = Double.parseDouble(System.getProperty("rnnx.soak.seconds", "8"));
    Path run = ServingRuns.zoo(tmp.resolve("majority-classifier"), "majority-classifier");
    Random r = new Random(1);
    List<Sequence> examples = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      examples.add(Sequence.ofTokens(r.longs(5 + r.nextInt(26), 1, 12).toArray()));
    }
    List<float[]> expected = new ArrayList<>();
    try (RnnxModel single = RnnxModel.builder(run).optPoolSize(1).build()) {
      for (Sequence s : examples) {
        expected.add(probabilities(single.classification().predict(s)));
      }
    }
    try (RnnxModel model = RnnxModel.builder(run).optBatching(BatchingOptions.DEFAULTS).build()) {
      ServingPredictor<Sequence, Classifications> p = model.classification();
      AtomicLong requests = new AtomicLong();
      AtomicLong worst = new AtomicLong();
      long start = System.nanoTime();
      long warmEnd = start + (long) (seconds * 0.25e9);
      long end = System.nanoTime() + (long) (seconds * 1e9);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          for (int i = first; System.nanoTime() < end && requests.incrementAndGet() <= MAX_REQUESTS; i++) {
            int k = i % examples.size();
            float[] got = probabilities(p.predict(examples.get(k)));
            for (int c = 0; c < got.length; c++) {
              float diff = Math.abs(got[c] - expected.get(k)[c]);
              worst.accumulateAndGet(Float.floatToIntBits(diff), Math::max);
            }
          }
          return null;
        }));
      }
      // after warm-up (a quarter of the run), a sample every 250 ms, each after a full GC
      Thread.sleep(Math.max(0, (warmEnd - System.nanoTime()) / 1_000_000));
      long requestsAtWarmUp = requests.get();
      List<Long> rss = new ArrayList<>();
      List<Long> outsideHeap = new ArrayList<>();
      List<Long> liveHeap = new ArrayList<>();
      while (System.nanoTime() < end && futures.stream().anyMatch(f -> !f.isDone())) {
        sample(rss, outsideHeap, liveHeap);
        Thread.sleep(250);
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      sample(rss, outsideHeap, liveHeap);
      float largestDiff = Float.intBitsToFloat((int) worst.get());
      long done = Math.min(requests.get(), MAX_REQUESTS);
      double elapsed = (System.nanoTime() - start) / 1e9;
      int quarter = Math.max(1, rss.size() / 4);
      System.out.printf("soak %.1f s (of %.0f s), %d threads: %d requests (%.0f/s), %s; largest |diff| vs single-threaded"
              + " %.1e; %d samples over the %d requests after warm-up, MB (first, min, max, last): VmRSS %s,"
              + " outside the heap %s, live heap %s; outside the heap, lowest of the first and last quarter: %d, %d MB%n",
          elapsed, seconds, THREADS, done, done / elapsed, model.batchingStats(), largestDiff, rss.size(),
          done - requestsAtWarmUp, summary(rss), summary(outsideHeap), summary(liveHeap),
          floor(outsideHeap, 0, quarter) / 1024, floor(outsideHeap, rss.size() - quarter, rss.size()) / 1024);
      assertTrue(done > THREADS, "only " + done + " requests in " + seconds + " s");
      assertTrue(largestDiff <= 1e-6f, "answers differ from single-threaded ones by " + largestDiff);
      // glibc's per-thread malloc arenas make single samples swing by 100 MB either way (measured);
      // a leak raises the floor, so the lowest samples of the first and last quarters are compared
      long nativeGrowth = floor(outsideHeap, rss.size() - quarter, rss.size()) - floor(outsideHeap, 0, quarter);
      assertTrue(nativeGrowth < NATIVE_SLACK_KB, "memory outside the heap grew by " + nativeGrowth + " kB after warm-up: "
          + summary(outsideHeap));
      long heapGrowth = floor(liveHeap, rss.size() - quarter, rss.size()) - floor(liveHeap, 0, quarter);
      assertTrue(heapGrowth < HEAP_SLACK_KB, "live heap grew by " + heapGrowth + " kB after warm-up: " + summary(liveHeap));
      assertEquals(done, model.batchingStats().requests(), "every request went through the batcher");
    }
  }

  /** After a full GC: VmRSS, VmRSS less the committed heap, and the live heap, in kB. */
  private static void sample(List<Long> rss, List<Long> outsideHeap, List<Long> liveHeap) throws IOException {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long r = rssKb();
    rss.add(r);
    outsideHeap.add(r - rt.totalMemory() / 1024);
    liveHeap.add((rt.totalMemory() - rt.freeMemory()) / 1024);
  }

  private static List<Long> summary(List<Long> kb) {
    long min = kb.stream().mapToLong(Long::longValue).min().orElseThrow();
    long max = kb.stream().mapToLong(Long::longValue).max().orElseThrow();
    return List.of(kb.get(0) / 1024, min / 1024, max / 1024, kb.get(kb.size() - 1) / 1024);
  }

  private static long floor(List<Long> kb, int from, int to) {
    return kb.subList(from, to).stream().mapToLong(Long::longValue).min().orElseThrow();
  }

  private static float[] probabilities(Classifications c) {
    float[] p = new float[c.getProbabilities().size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = c.getProbabilities().get(i).floatValue();
    }
    return p;
  }
}

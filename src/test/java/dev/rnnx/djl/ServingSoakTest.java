package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
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
  @TempDir Path tmp;

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
      MemorySamples memory = new MemorySamples();
      memory.sampleWhile(end, futures);
      pool.shutdown();
      float largestDiff = Float.intBitsToFloat((int) worst.get());
      long done = Math.min(requests.get(), MAX_REQUESTS);
      double elapsed = (System.nanoTime() - start) / 1e9;
      System.out.printf("soak %.1f s (of %.0f s), %d threads: %d requests (%.0f/s), %s; largest |diff| vs single-threaded"
              + " %.1e; %d samples over the %d requests after warm-up, %s%n",
          elapsed, seconds, THREADS, done, done / elapsed, model.batchingStats(), largestDiff, memory.size(),
          done - requestsAtWarmUp, memory);
      assertTrue(done > THREADS, "only " + done + " requests in " + seconds + " s");
      assertTrue(largestDiff <= 1e-6f, "answers differ from single-threaded ones by " + largestDiff);
      assertTrue(memory.nativeGrowthKb() < MemorySamples.NATIVE_SLACK_KB, "memory outside the heap grew by "
          + memory.nativeGrowthKb() + " kB after warm-up: " + memory);
      assertTrue(memory.heapGrowthKb() < MemorySamples.HEAP_SLACK_KB, "live heap grew by " + memory.heapGrowthKb()
          + " kB after warm-up: " + memory);
      assertEquals(done, model.batchingStats().requests(), "every request went through the batcher");
    }
  }

  private static float[] probabilities(Classifications c) {
    float[] p = new float[c.getProbabilities().size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = c.getProbabilities().get(i).floatValue();
    }
    return p;
  }
}

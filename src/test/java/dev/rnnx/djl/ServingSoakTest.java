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
 * (8 s in the default run, 60 s with {@code -Psoak}) or 2 million requests, whichever comes first.
 * No request fails, every answer equals the single-threaded one for the same sequence, and the
 * process's resident memory ({@code VmRSS}) stays flat after warm-up.
 */
class ServingSoakTest {

  private static final int THREADS = 16;
  private static final long MAX_REQUESTS = 2_000_000;
  /** Resident memory may grow this much after warm-up (heap sizing, JIT code), no more. */
  private static final long RSS_SLACK_KB = 48 * 1024;

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
      long warmEnd = System.nanoTime() + (long) (seconds * 0.25e9);
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
      // VmRSS after a GC at the end of warm-up (a quarter of the run), then every further quarter
      List<Long> rss = new ArrayList<>();
      long requestsAtWarmUp = 0;
      for (int q = 1; q <= 3; q++) {
        Thread.sleep(Math.max(0, (warmEnd - System.nanoTime()) / 1_000_000 + (long) ((q - 1) * seconds * 250)));
        System.gc();
        rss.add(rssKb());
        requestsAtWarmUp = q == 1 ? requests.get() : requestsAtWarmUp;
      }
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
      System.gc();
      rss.add(rssKb());
      long rssAfterWarmUp = rss.get(0);
      long rssEnd = rss.get(rss.size() - 1);
      long rssMax = rss.stream().mapToLong(Long::longValue).max().orElseThrow();
      float largestDiff = Float.intBitsToFloat((int) worst.get());
      long done = Math.min(requests.get(), MAX_REQUESTS);
      System.out.printf("soak %.0f s, %d threads: %d requests (%.0f/s), %s; VmRSS (MB) after warm-up and each"
              + " further quarter %s (%+d MB over %d requests); largest |diff| vs single-threaded %.1e%n",
          seconds, THREADS, done, done / seconds, model.batchingStats(), rss.stream().map(k -> k / 1024).toList(),
          (rssEnd - rssAfterWarmUp) / 1024, done - requestsAtWarmUp, largestDiff);
      assertTrue(done > THREADS, "only " + done + " requests in " + seconds + " s");
      assertTrue(largestDiff <= 1e-6f, "answers differ from single-threaded ones by " + largestDiff);
      assertTrue(rssMax - rssAfterWarmUp < RSS_SLACK_KB,
          "resident memory grew from " + rssAfterWarmUp + " kB to " + rssMax + " kB after warm-up: " + rss);
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

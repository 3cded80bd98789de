package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic batching gives every request what it gets alone: concurrent requests of mixed lengths
 * to a model that reads {@code lengths} are merged (padded in time) and split back; a model without
 * {@code lengths} only merges requests of one length.
 */
class DynamicBatchingTest {

  private static final int THREADS = 16;

  @TempDir Path tmp;

  private static List<Sequence> mixedLengths(int n, long seed) {
    Random r = new Random(seed);
    List<Sequence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Sequence.ofTokens(r.longs(5 + r.nextInt(26), 1, 12).toArray()));
    }
    return out;
  }

  /** Runs every example from {@link #THREADS} threads released at once; answers in example order. */
  static <I, O> List<O> concurrently(ServingPredictor<I, O> p, List<I> examples) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<O>> futures = new ArrayList<>();
      for (I e : examples) {
        futures.add(pool.submit(() -> {
          start.await();
          return p.predict(e);
        }));
      }
      start.countDown();
      List<O> out = new ArrayList<>();
      for (Future<O> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void mixedLengthsShareBatchesAndEachGetsItsOwnAnswer() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("majority-classifier"), "majority-classifier");
    List<Sequence> examples = mixedLengths(96, 11);
    List<Classifications> alone = new ArrayList<>();
    try (RnnxModel single = RnnxModel.builder(run).optPoolSize(1).build()) {
      for (Sequence s : examples) {
        alone.add(single.classification().predict(s));
      }
    }
    BatchingOptions options = new BatchingOptions(16, Duration.ofMillis(20), 1);
    try (RnnxModel batched = RnnxModel.builder(run).optBatching(options).build()) {
      List<Classifications> together = concurrently(batched.classification(), examples);
      double worst = 0;
      for (int i = 0; i < examples.size(); i++) {
        for (int k = 0; k < 3; k++) {
          worst = Math.max(worst, Math.abs(alone.get(i).getProbabilities().get(k) - together.get(i).getProbabilities().get(k)));
        }
        assertEquals(alone.get(i).best().getClassName(), together.get(i).best().getClassName(), "example " + i);
      }
      assertTrue(worst < 1e-6, "batched differs from alone by " + worst);
      BatchingStats stats = batched.batchingStats();
      assertTrue(stats.largestBatch() > 1, "no request shared a batch: " + stats);
      assertTrue(stats.batches() < stats.requests(), stats.toString());
      assertTrue(stats.largestBatch() <= 16, stats.toString());
      System.out.printf("batched %d mixed-length requests: %s, mean batch %.1f, largest |diff| %.2e%n",
          examples.size(), stats, stats.meanBatch(), worst);
    }
  }

  @Test
  void predictAllMergesAndKeepsOrder() throws Exception {
    Path run = ServingRuns.zoo(tmp.resolve("majority-classifier"), "majority-classifier");
    List<Sequence> examples = mixedLengths(10, 5);
    try (RnnxModel model = RnnxModel.builder(run).optPoolSize(1).build()) {
      ServingPredictor<Sequence, Classifications> p = model.classification();
      List<Classifications> all = p.predictAll(examples);
      for (int i = 0; i < examples.size(); i++) {
        Classifications one = p.predict(examples.get(i));
        for (int k = 0; k < 3; k++) {
          assertEquals(one.getProbabilities().get(k), all.get(i).getProbabilities().get(k), 1e-6);
        }
      }
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> p.predictAll(List.of()));
      assertEquals(InvalidInputException.Problem.EMPTY, e.problem());
    }
  }

  @Test
  void withoutLengthsOnlyEqualLengthsShareABatch() throws Exception {
    Sequential sine = RecipeCodec.read(Path.of("models", "sine-lstm.yaml")).sequential();
    Batches b = Batches.of(sine);
    Map<String, Tensor> five = Map.of("input", FloatTensor.zeros(1, 5, 1));
    Map<String, Tensor> six = Map.of("input", FloatTensor.zeros(1, 6, 1));
    assertNotEquals(b.key(five), b.key(six));
    assertThrows(IllegalArgumentException.class, () -> b.merge(List.of(five, six)));

    Path run = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    Random r = new Random(2);
    List<Sequence> examples = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      float[] v = new float[3 + i % 4];
      for (int t = 0; t < v.length; t++) {
        v[t] = (float) r.nextGaussian();
      }
      examples.add(Sequence.ofFeatures(v, 1));
    }
    List<FloatTensor> alone = new ArrayList<>();
    try (RnnxModel single = RnnxModel.builder(run).optPoolSize(1).build()) {
      for (Sequence s : examples) {
        alone.add(single.regression().predict(s));
      }
    }
    try (RnnxModel batched = RnnxModel.builder(run).optBatching(new BatchingOptions(8, Duration.ofMillis(20), 1)).build()) {
      List<FloatTensor> together = concurrently(batched.regression(), examples);
      for (int i = 0; i < examples.size(); i++) {
        assertEquals(alone.get(i).data()[0], together.get(i).data()[0], 1e-6, "example " + i);
      }
      assertTrue(batched.batchingStats().largestBatch() > 1, batched.batchingStats().toString());
    }
  }

  @Test
  void paddedMergeSplitsBackToEachRequestsShape() {
    Batches b = new Batches(true, java.util.Set.of("input"), java.util.Set.of("output"));
    Map<String, Tensor> a = Map.of("input", LongTensor.of(new long[] {1, 2}, 1, 2), "lengths", LongTensor.of(new long[] {2}, 1));
    Map<String, Tensor> c = Map.of("input", LongTensor.of(new long[] {3, 4, 5, 6, 7, 8, 9, 10}, 2, 4),
        "lengths", LongTensor.of(new long[] {4, 3}, 2));
    Batches.Merged m = b.merge(List.of(a, c));
    assertArrayEquals(new long[] {3, 4}, m.inputs().get("input").shape());
    assertArrayEquals(new long[] {1, 2, 0, 0, 3, 4, 5, 6, 7, 8, 9, 10}, ((LongTensor) m.inputs().get("input")).data());
    assertArrayEquals(new long[] {2, 4, 3}, ((LongTensor) m.inputs().get("lengths")).data());
    float[] out = new float[3 * 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = i;
    }
    List<Map<String, FloatTensor>> split = b.split(Map.of("output", FloatTensor.of(out, 3, 4, 1)), m.plan());
    assertArrayEquals(new long[] {1, 2, 1}, split.get(0).get("output").shape());
    assertArrayEquals(new float[] {0, 1}, split.get(0).get("output").data());
    assertArrayEquals(new long[] {2, 4, 1}, split.get(1).get("output").shape());
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 10, 11}, split.get(1).get("output").data());
  }
}

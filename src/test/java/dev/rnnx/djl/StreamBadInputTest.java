package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.LongTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a streaming session refuses, each with one message naming what went wrong: a chunk of the
 * wrong feature size, a call after close or expiry, a snapshot of another model, a session past
 * the limits, a model that needs the future. And what sessions of many callers get from the
 * dynamic batcher: shared engine calls, each its own answer.
 */
class StreamBadInputTest {

  @TempDir static Path tmp;
  private static Path sine;
  private static RnnxModel model;

  @BeforeAll
  static void load() throws IOException {
    sine = ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm");
    model = RnnxModel.builder(sine).optPoolSize(1)
        .optStreaming(StreamOptions.DEFAULTS.withMaxSessions(64).withIdleTimeout(Duration.ofMillis(300))).build();
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static FloatTensor steps(float... values) {
    return FloatTensor.of(values, values.length, 1);
  }

  @Test
  void aChunkOfTheWrongFeatureSizeNamesTheSessionAndTheInput() {
    try (StreamSession s = model.openStream()) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> s.feed(FloatTensor.of(new float[6], 3, 2)));
      assertTrue(e.getMessage().contains("stream session " + s.id() + " of model 'sine-lstm'"), e.getMessage());
      assertTrue(e.getMessage().contains("'input'"), e.getMessage());
      assertTrue(e.getMessage().contains("2") && e.getMessage().contains("1"), e.getMessage());
      assertEquals(0, s.steps(), "a refused chunk must not advance the session");
      InvalidInputException empty = assertThrows(InvalidInputException.class, () -> s.feed(FloatTensor.of(new float[0], 0, 1)));
      assertTrue(empty.getMessage().contains("0 steps, expected at least 1"), empty.getMessage());
      InvalidInputException ids = assertThrows(InvalidInputException.class, () -> s.feed(LongTensor.of(new long[] {1, 2}, 2, 1)));
      assertTrue(ids.getMessage().contains("stream session " + s.id()), ids.getMessage());
      InvalidInputException nan = assertThrows(InvalidInputException.class, () -> s.feed(steps(0.1f, Float.NaN)));
      assertTrue(nan.getMessage().contains("stream session " + s.id()) && nan.getMessage().contains("finite"), nan.getMessage());
      s.feed(steps(0.5f)); // the session still works
      assertEquals(1, s.steps());
    }
  }

  @Test
  void aClosedSessionSaysItWasClosed() {
    StreamSession s = model.openStream();
    s.feed(steps(0.1f, 0.2f));
    s.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.feed(steps(0.3f)));
    assertEquals("stream session " + s.id() + " of model 'sine-lstm' is closed: it was closed by its caller", e.getMessage());
  }

  @Test
  void anIdleSessionExpiresAndSaysSo() throws InterruptedException {
    StreamSession s = model.openStream();
    s.feed(steps(0.1f));
    Thread.sleep(500);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.feed(steps(0.3f)));
    assertTrue(e.getMessage().startsWith("stream session " + s.id() + " of model 'sine-lstm' has expired: it was idle for "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("past the idle timeout of 300 ms"), e.getMessage());
  }

  @Test
  void aSnapshotGoesOnWhereItStoppedAndAnotherModelRefusesIt() throws IOException {
    float[] x = {0.1f, -0.4f, 0.9f, 0.3f, -0.2f};
    FloatTensor whole;
    try (StreamSession s = model.openStream()) {
      whole = s.feed(steps(x));
    }
    StreamSnapshot snap;
    try (StreamSession s = model.openStream()) {
      s.feed(steps(x[0], x[1]));
      snap = s.snapshot();
    }
    try (StreamSession resumed = model.restoreStream(snap)) {
      FloatTensor out = resumed.feed(steps(x[2], x[3], x[4]));
      assertArrayEquals(whole.data(), out.data(), 1e-6f);
      assertEquals(5, resumed.steps());
    }
    // the same recipe with other weights: another fingerprint
    String yaml = Files.readString(Path.of("models/sine-lstm.yaml")).replace("seed: 42", "seed: 43");
    Path other = ServingRuns.yaml(tmp.resolve("other"), yaml);
    try (RnnxModel otherModel = RnnxModel.builder(other).optPoolSize(1).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> otherModel.restoreStream(snap));
      assertTrue(e.getMessage().startsWith("stream snapshot of model 'sine-lstm' (fingerprint "), e.getMessage());
      assertTrue(e.getMessage().endsWith("its states come from another model or other weights"), e.getMessage());
    }
  }

  @Test
  void theSessionLimitRefusesAtOnce() throws IOException {
    try (RnnxModel small = RnnxModel.builder(sine).optPoolSize(1).optStreaming(StreamOptions.DEFAULTS.withMaxSessions(2)).build()) {
      StreamSession a = small.openStream();
      StreamSession b = small.openStream();
      long start = System.nanoTime();
      StreamLimitException e = assertThrows(StreamLimitException.class, small::openStream);
      assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused at once");
      assertTrue(e.getMessage().startsWith("model 'sine-lstm': 2 stream sessions are open, the limit"), e.getMessage());
      a.close();
      small.openStream().close(); // room again
      b.close();
    }
    long perSession = 2 * 20 * Float.BYTES; // h and c of LSTM(20)
    try (RnnxModel tight = RnnxModel.builder(sine).optPoolSize(1)
        .optStreaming(StreamOptions.DEFAULTS.withMaxStateBytes(perSession * 3 / 2)).build()) {
      assertEquals(perSession, tight.streams().stateBytesPerSession());
      try (StreamSession a = tight.openStream()) {
        StreamLimitException e = assertThrows(StreamLimitException.class, tight::openStream);
        assertTrue(e.getMessage().contains("would pass the limit of " + perSession * 3 / 2 + " (StreamOptions.maxStateBytes)"),
            e.getMessage());
        a.feed(steps(0.2f));
      }
    }
  }

  @Test
  void aModelThatNeedsTheFutureIsRefusedAtOpenStream() throws IOException {
    Path bi = ServingRuns.zoo(tmp.resolve("bidirectional-tagger"), "bidirectional-tagger");
    try (RnnxModel m = RnnxModel.builder(bi).optPoolSize(1).build()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::openStream);
      assertEquals("model 'bidirectional-tagger' cannot stream: layer 'bidirectional' (bidirectional) reads each sequence"
          + " backwards too, so its output at a step needs the steps after it", e.getMessage());
    }
  }

  @Test
  void closingTheModelEndsItsSessions() throws IOException {
    RnnxModel m = RnnxModel.builder(sine).optPoolSize(1).build();
    StreamSession s = m.openStream();
    m.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.feed(steps(0.1f)));
    assertTrue(e.getMessage().endsWith("is closed: its model was closed"), e.getMessage());
  }

  @Test
  void concurrentSessionsShareEngineCallsAndEachGetsItsOwnAnswer() throws Exception {
    int sessions = 48;
    java.util.Random r = new java.util.Random(9);
    List<float[][]> chunksPerSession = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      float[][] chunks = new float[4][];
      for (int c = 0; c < chunks.length; c++) {
        chunks[c] = new float[1 + r.nextInt(10)];
        for (int k = 0; k < chunks[c].length; k++) {
          chunks[c][k] = (float) r.nextGaussian();
        }
      }
      chunksPerSession.add(chunks);
    }
    List<float[]> alone = new ArrayList<>();
    for (float[][] chunks : chunksPerSession) {
      alone.add(run(model, chunks));
    }
    try (RnnxModel batched = RnnxModel.builder(sine).optPoolSize(2)
        .optBatching(BatchingOptions.of(32, Duration.ofMillis(5))).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<float[]>> futures = new ArrayList<>();
        for (float[][] chunks : chunksPerSession) {
          Callable<float[]> call = () -> {
            go.await();
            return run(batched, chunks);
          };
          futures.add(pool.submit(call));
        }
        go.countDown();
        for (int i = 0; i < sessions; i++) {
          assertArrayEquals(alone.get(i), futures.get(i).get(), 1e-6f, "session " + i);
        }
      } finally {
        pool.shutdownNow();
      }
      BatchingStats stats = batched.streams().batchingStats();
      assertEquals(sessions * 4, stats.requests());
      assertTrue(stats.batches() < stats.requests(), "no chunks shared an engine call: " + stats);
    }
  }

  @Test
  void chunksQueuedPastABatchAreMergedByLengthAndEachGetsItsOwnAnswer() {
    int sessions = 120;
    java.util.Random r = new java.util.Random(5);
    float[][][] chunks = new float[sessions][3][];
    List<float[]> alone = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      for (int c = 0; c < 3; c++) {
        chunks[i][c] = new float[1 + r.nextInt(10)];
        for (int k = 0; k < chunks[i][c].length; k++) {
          chunks[i][c][k] = (float) r.nextGaussian();
        }
      }
      alone.add(run(model, chunks[i]));
    }
    try (RnnxModel batched = RnnxModel.builder(sine).optPoolSize(1)
        .optBatching(new BatchingOptions(8, Duration.ZERO, 1)).build()) {
      List<StreamSession> open = new ArrayList<>();
      List<List<Float>> outs = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        open.add(batched.openStream());
        outs.add(new ArrayList<>());
      }
      for (int c = 0; c < 3; c++) {
        List<java.util.concurrent.CompletableFuture<FloatTensor>> round = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          round.add(open.get(i).feedAsync(steps(chunks[i][c]))); // one thread: the queue grows past a batch
        }
        for (int i = 0; i < sessions; i++) {
          for (float v : round.get(i).join().data()) {
            outs.get(i).add(v);
          }
        }
      }
      for (int i = 0; i < sessions; i++) {
        float[] got = new float[outs.get(i).size()];
        for (int k = 0; k < got.length; k++) {
          got[k] = outs.get(i).get(k);
        }
        assertArrayEquals(alone.get(i), got, 1e-6f, "session " + i);
      }
      BatchingStats stats = batched.streams().batchingStats();
      assertEquals(sessions * 3, stats.requests());
      assertTrue(stats.largestBatch() <= 8 && stats.batches() >= sessions * 3 / 8, stats.toString());
      open.forEach(StreamSession::close);
    }
  }

  /** Every chunk's output of one session, concatenated. */
  private static float[] run(RnnxModel m, float[][] chunks) {
    List<Float> out = new ArrayList<>();
    try (StreamSession s = m.openStream()) {
      for (float[] c : chunks) {
        for (float v : s.feed(steps(c)).data()) {
          out.add(v);
        }
      }
    }
    float[] a = new float[out.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = out.get(i);
    }
    return a;
  }
}

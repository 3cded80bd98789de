package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.MemorySamples;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Soak of the server at twice its capacity: 32 loopback clients, each sending its next request as
 * soon as it has an answer, against a server that holds at most 16 requests, for {@code
 * rnnx.soak.seconds} (8 s in the default run, 60 s with {@code -Psoak}). Every answer is either
 * the in-process model's, bit for bit, or a 503; the server never holds more than its bound; and
 * memory stays flat after warm-up ({@link MemorySamples}: outside the heap and the live heap).
 */
class ServerSoakTest {

  static final int CAPACITY = 16;
  static final int CLIENTS = 2 * CAPACITY;

  @Test
  void twiceTheCapacityGetsExactAnswersOr503sWithFlatMemory() throws Exception {
    double seconds = Double.parseDouble(System.getProperty("rnnx.soak.seconds", "8"));
    Random r = new Random(3);
    List<String> bodies = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    try (RnnxModel model = RnnxModel.builder(Path.of("models/golden/sine-lstm/model.onnx"))
        .optBatching(BatchingOptions.DEFAULTS).build();
        ModelServer server = ModelServer.start(Map.of("sine", model),
            ServerOptions.DEFAULTS.withPort(0).withQueue(CAPACITY, CAPACITY), null)) {
      for (int i = 0; i < 64; i++) {
        int steps = 10 + r.nextInt(41);
        float[] x = new float[steps];
        for (int t = 0; t < steps; t++) {
          x[t] = (float) Math.sin(0.3 * t + i) + (float) r.nextGaussian() * 0.01f;
        }
        bodies.add(Loopback.infer("input", new long[] {1, steps, 1}, x, null));
        expected.add(model.tensors().predict(Map.of("input", FloatTensor.of(x, 1, steps, 1))).get("output").data());
      }
      Loopback http = new Loopback(server.port());
      AtomicLong ok = new AtomicLong();
      AtomicLong rejected = new AtomicLong();
      long start = System.nanoTime();
      // warm-up: a quarter of the run, at least 4 s (the JIT is still compiling the event loop's path,
      // whose code cache is memory outside the heap), then three quarters of the run sampled
      long warmEnd = start + (long) (Math.max(seconds * 0.25, 4) * 1e9);
      long end = warmEnd + (long) (seconds * 0.75e9);
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int first = c;
        futures.add(clients.submit(() -> {
          for (int i = first; System.nanoTime() < end; i++) {
            int k = i % bodies.size();
            Loopback.Reply reply = http.post("/v2/models/sine/infer", bodies.get(k));
            if (reply.status() == 503) {
              rejected.incrementAndGet();
              continue;
            }
            assertEquals(200, reply.status(), reply.body());
            float[] got = Loopback.outputData(reply.body(), "output");
            for (int j = 0; j < got.length; j++) {
              assertEquals(Float.floatToRawIntBits(expected.get(k)[j]), Float.floatToRawIntBits(got[j]), "request " + k);
            }
            ok.incrementAndGet();
          }
          return null;
        }));
      }
      Thread.sleep(Math.max(0, (warmEnd - System.nanoTime()) / 1_000_000));
      MemorySamples memory = new MemorySamples();
      memory.sampleWhile(end, futures);
      clients.shutdown();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long total = ok.get() + rejected.get();
      long held = ModelServerLimitsTest.metric(http, "rnnx_in_flight_max");
      System.out.printf("server soak %.1f s, %d clients against a bound of %d: %d answered (%.0f/s), %d refused with 503"
              + " (%.1f%% of %d requests); at most %d held at once; %s; %d memory samples, %s%n", elapsed, CLIENTS, CAPACITY,
          ok.get(), ok.get() / elapsed, rejected.get(), 100.0 * rejected.get() / total, total, held, model.batchingStats(),
          memory.size(), memory);
      assertTrue(ok.get() > CLIENTS, "only " + ok.get() + " answers in " + seconds + " s");
      assertTrue(held <= CAPACITY, held + " requests held at once, bound " + CAPACITY);
      assertTrue(memory.nativeGrowthKb() < MemorySamples.NATIVE_SLACK_KB, "memory outside the heap grew by "
          + memory.nativeGrowthKb() + " kB after warm-up: " + memory);
      assertTrue(memory.heapGrowthKb() < MemorySamples.HEAP_SLACK_KB, "live heap grew by " + memory.heapGrowthKb()
          + " kB after warm-up: " + memory);
    }
  }
}

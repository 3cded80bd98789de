package dev.rnnx.bench;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.StreamOptions;
import dev.rnnx.djl.StreamSession;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Streaming against whole-sequence inference on the sine-lstm model (models/sine-lstm.yaml: LSTM(20)
 * → Dense(1), seeded weights), both on ONNX Runtime through {@link RnnxModel} with the dynamic
 * batcher ({@link BatchingOptions#DEFAULTS}, a pool of 2 predictors).
 *
 * <ul>
 *   <li>{@code mode=stream}: {@value #SESSIONS} sessions stay open ({@link RnnxModel#openStream()});
 *       {@value #CALLERS} caller threads each own a quarter of them and, per benchmark operation,
 *       feed every one of its sessions one chunk ({@link StreamSession#feedAsync}) of 1, 2, … 10
 *       steps (mean 5.5), then wait for all: {@value #SESSIONS} chunks in flight at once, merged
 *       by the dynamic batcher;
 *   <li>{@code mode=whole}: the same callers each send, per operation, {@value #SESSIONS} /
 *       {@value #CALLERS} whole sequences of {@value #WHOLE_STEPS} steps (the model's window) to
 *       its {@code model} form at once ({@code predictAll}), batched the same way.
 * </ul>
 *
 * <p>The figure is the auxiliary counter {@code steps}: time steps processed per millisecond
 * across all callers. The heap each open session holds (after a full GC, averaged over the
 * {@value #SESSIONS}) is printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(StreamingBenchmark.CALLERS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class StreamingBenchmark {

  /** Open sessions in {@code stream} mode. */
  static final int SESSIONS = 1000;
  /** Steps of a whole sequence in {@code whole} mode. */
  static final int WHOLE_STEPS = 25;
  /** Caller threads (as {@code @Threads}); each drives {@value #SESSIONS} / {@value #CALLERS} sessions. */
  static final int CALLERS = 4;

  /** {@code stream} or {@code whole}. */
  @Param({"stream", "whole"})
  public String mode;

  /** The dynamic batcher's largest batch (rows); the other options are {@link BatchingOptions#DEFAULTS}'. */
  @Param({"32", "256"})
  public int batch;

  private Path dir;
  private RnnxModel model;
  private final List<StreamSession> sessions = new ArrayList<>();
  private final AtomicInteger callers = new AtomicInteger();
  private float[] series;

  /** One caller: the sessions it owns and which it feeds next; {@code steps} is the figure. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Caller {
    /** Steps processed by this caller. */
    public long steps;
    int index = -1;
    int next;
    int chunk;
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("rnnx-streaming-bench");
    Recipe recipe = RecipeCodec.read(Path.of("models", "sine-lstm.yaml"));
    Sequential spec = recipe.sequential();
    Weights weights = InitialWeights.generate(spec, recipe.seed());
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Map.of(), Map.of());
    Safetensors.write(dir.resolve("weights.safetensors"), weights, provenance.toMetadata());
    OnnxExporter.write(OnnxExporter.export(spec, weights, provenance).get("model"), dir.resolve("model.onnx"));
    BatchingOptions batching = new BatchingOptions(batch, BatchingOptions.DEFAULTS.maxDelay(), BatchingOptions.DEFAULTS.workers());
    model = RnnxModel.builder(dir).optBatching(batching)
        .optStreaming(StreamOptions.DEFAULTS.withMaxSessions(SESSIONS)).build();
    Random r = new Random(1);
    series = new float[WHOLE_STEPS * 4];
    for (int i = 0; i < series.length; i++) {
      series[i] = (float) (Math.sin(i / 20.0 * 2 * Math.PI) + 0.05 * r.nextGaussian());
    }
    if ("stream".equals(mode)) {
      model.streams(); // load the stream form before measuring the heap
      long before = usedHeap();
      for (int i = 0; i < SESSIONS; i++) {
        StreamSession s = model.openStream();
        s.feed(FloatTensor.of(new float[] {series[i % series.length]}, 1, 1)); // states allocated
        sessions.add(s);
      }
      long after = usedHeap();
      System.out.printf("%nstream: %d sessions, %d bytes of heap per session (state: %d bytes)%n", SESSIONS,
          (after - before) / SESSIONS, model.streams().stateBytesPerSession());
    }
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Benchmark
  public Object step(Caller c) {
    if (c.index < 0) {
      c.index = callers.getAndIncrement() % CALLERS;
    }
    int share = SESSIONS / CALLERS;
    if ("whole".equals(mode)) {
      List<Map<String, ? extends Tensor>> requests = new ArrayList<>(share);
      for (int i = 0; i < share; i++) {
        int from = (c.chunk++ % 4) * WHOLE_STEPS;
        requests.add(Map.of("input", FloatTensor.of(java.util.Arrays.copyOfRange(series, from, from + WHOLE_STEPS), 1, WHOLE_STEPS, 1)));
      }
      Object out = model.tensors().predictAll(requests);
      c.steps += (long) share * WHOLE_STEPS;
      return out;
    }
    List<CompletableFuture<FloatTensor>> outs = new ArrayList<>(share);
    for (int i = 0; i < share; i++) {
      StreamSession s = sessions.get(c.index * share + i);
      int n = 1 + (c.chunk++ % 10);
      int from = c.chunk % (series.length - 10);
      outs.add(s.feedAsync(FloatTensor.of(java.util.Arrays.copyOfRange(series, from, from + n), n, 1)));
      c.steps += n;
    }
    outs.forEach(CompletableFuture::join);
    return outs;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    System.out.println("\n" + mode + ": " + ("stream".equals(mode) ? model.streams().batchingStats() : model.batchingStats()));
    sessions.forEach(StreamSession::close);
    model.close();
    AtomicFiles.deleteTree(dir);
  }
}

package dev.rnnx.bench;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.serve.ModelServer;
import dev.rnnx.serve.ServerOptions;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The model server against the same model in process, 32 callers each sending one sequence and
 * waiting for its answer, with the same dynamic batching ({@link BatchingOptions#DEFAULTS}) and
 * predictor pool underneath. {@code model=sine}: the golden sine-lstm ({@code
 * models/golden/sine-lstm/model.onnx}, 50 steps of 1 feature); {@code lstm}: {@link
 * BatchingBenchmark}'s LSTM (64 features, 50 steps, 256 units). {@code path=in-process}: {@link
 * RnnxModel#tensors()}; {@code server}: a KServe v2 JSON request over a keep-alive loopback
 * connection per caller ({@link LoopbackConnection}) to {@link ModelServer}, body parsed, checked,
 * batched, answered and read back (each request encoded once, sent in one write; each answer read
 * whole and compared byte for byte with the answer the same request got alone before the run, the
 * differences counted and printed at the end). {@link #overload} runs 64 callers against a server that holds at
 * most 32 requests ({@code -p queue=32}: twice its capacity) and counts the answers and the 503 refusals.
 *
 * <p>The callers run in the same JVM, on the same cores, as the server or the model: on a small
 * machine the loopback clients' own CPU (their socket writes and reads, and the kernel's loopback
 * work done in their system calls) competes with the server. {@link CpuShares} prints, per
 * iteration, this process's CPU time per request and the callers' share of it, so that the server's
 * own cost per request (the process less its callers) can be set against the in-process cost
 * (everything, since there the callers' threads do the model's checking and queuing).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// the server path is far more code than a method call: C2 is still compiling it 30 s in (CpuShares's JIT column)
@Warmup(iterations = 8, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class ServerBenchmark {

  static final int STEPS = 50;
  static final int DISTINCT = 64;
  static final String PATH = "/v2/models/m/infer";

  /** {@code sine} or {@code lstm}. */
  @Param({"sine", "lstm"})
  public String model;

  /** {@code in-process} or {@code server}. */
  @Param({"in-process", "server"})
  public String path;

  /**
   * How the server path sends each request: {@code json} (KServe v2 JSON, values as decimal text)
   * or {@code binary} (the binary tensor data extension: a short JSON header, then the raw
   * little-endian float32 values, and the output asked for as binary data).
   */
  @Param({"json"})
  public String encoding;

  /**
   * The batcher's longest wait for more rows, in microseconds, on both paths: 0 is {@link
   * BatchingOptions#DEFAULTS} (a batch goes as soon as a worker is free); more waits up to that long
   * after a batch's first request for the batch to fill, with the same 32 rows and 2 workers.
   */
  @Param({"0"})
  public int delayUs;

  /** The server's bound on requests held at once (503 past it): 256, the default; 32 for {@link #overload}. */
  @Param({"256"})
  public int queue;

  private Path dir;
  private RnnxModel served;
  private ModelServer server;
  private List<Map<String, ? extends Tensor>> inputs;
  private List<byte[]> requests;
  private List<byte[]> expected;
  private final java.util.concurrent.atomic.LongAdder differing = new java.util.concurrent.atomic.LongAdder();
  private final CpuShares cpu = new CpuShares();

  /** One caller: its connection and what it sends next. */
  @State(Scope.Thread)
  public static class Caller {
    LoopbackConnection connection;
    int next;

    @TearDown(Level.Trial)
    public void close() throws IOException {
      if (connection != null) {
        connection.close();
      }
    }
  }

  /** What the overload callers got, summed over callers (JMH's auxiliary counters). */
  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Outcomes {
    /** 200 answers. */
    public long answered;
    /** 503 refusals. */
    public long refused;
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("rnnx-server-bench");
    int features = model.equals("sine") ? 1 : BatchingBenchmark.FEATURES;
    Path file = model.equals("sine") ? Path.of("models/golden/sine-lstm/model.onnx")
        : BatchingBenchmark.writeModel(dir.resolve("lstm.onnx"), 256);
    BatchingOptions batching = delayUs == 0 ? BatchingOptions.DEFAULTS : new BatchingOptions(BatchingOptions.DEFAULTS.maxBatchSize(),
        Duration.ofNanos(1000L * delayUs), BatchingOptions.DEFAULTS.workers());
    served = RnnxModel.builder(file).optBatching(batching).build();
    Random r = new Random(1);
    inputs = new ArrayList<>();
    requests = new ArrayList<>();
    for (int i = 0; i < DISTINCT; i++) {
      float[] x = new float[STEPS * features];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) r.nextGaussian();
      }
      inputs.add(Map.of("input", FloatTensor.of(x, 1, STEPS, features)));
      StringBuilder b = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,")
          .append(STEPS).append(',').append(features).append("],\"data\":[");
      for (int k = 0; k < x.length; k++) {
        b.append(k > 0 ? "," : "").append(x[k]);
      }
      if (encoding.equals("binary")) {
        byte[] head = ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1," + STEPS + "," + features
            + "],\"parameters\":{\"binary_data_size\":" + 4 * x.length + "}}],\"parameters\":{\"binary_data_output\":true}}")
            .getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(head.length + 4 * x.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        raw.put(head);
        for (float v : x) {
          raw.putFloat(v);
        }
        requests.add(LoopbackConnection.request(PATH, raw.array(), "Inference-Header-Content-Length: " + head.length + "\r\n"));
      } else {
        requests.add(LoopbackConnection.request(PATH, b.append("]}]}").toString().getBytes(StandardCharsets.UTF_8), ""));
      }
    }
    server = ModelServer.start(Map.of("m", served), ServerOptions.DEFAULTS.withPort(0).withQueue(queue, Math.min(queue, 64)), null);
    expected = new ArrayList<>();
    try (LoopbackConnection c = new LoopbackConnection(server.port())) {
      for (byte[] request : requests) { // each request's answer alone: every answer under load must equal it byte for byte
        int status = c.send(request);
        if (status != 200) {
          throw new IllegalStateException("status " + status + ": " + c.bodyText());
        }
        expected.add(java.util.Arrays.copyOfRange(c.body(), c.bodyStart(), c.bodyStart() + c.bodyLength()));
      }
    }
  }

  /** This trial's settings, as its printed lines name them. */
  private String label() {
    return model + " " + path + (path.equals("server") ? " " + encoding : "") + (delayUs > 0 ? " delay " + delayUs + " us" : "");
  }

  /** Marks an interval of the CPU accounting: each iteration's start, and the trial's end. */
  @Setup(Level.Iteration)
  public void interval() {
    cpu.mark(label());
  }

  @Benchmark
  @Threads(32)
  public Object request(Caller caller) throws IOException {
    if (caller.next == 0) {
      cpu.caller();
    }
    cpu.request();
    int k = caller.next++ % DISTINCT;
    if (path.equals("in-process")) {
      return served.tensors().predict(inputs.get(k));
    }
    if (caller.connection == null) {
      caller.connection = new LoopbackConnection(server.port());
    }
    LoopbackConnection c = caller.connection;
    int status = c.send(requests.get(k));
    if (status != 200) {
      throw new IllegalStateException("status " + status + ": " + c.bodyText());
    }
    byte[] want = expected.get(k);
    if (!java.util.Arrays.equals(c.body(), c.bodyStart(), c.bodyStart() + c.bodyLength(), want, 0, want.length)) {
      differing.increment();
    }
    return c.bodyLength();
  }

  /** 64 callers against the server; with {@code -p queue=32 -p path=server}, twice what it holds at once. */
  @Benchmark
  @Threads(64)
  @BenchmarkMode(Mode.Throughput)
  public int overload(Caller caller, Outcomes outcomes) throws IOException {
    if (caller.connection == null) {
      caller.connection = new LoopbackConnection(server.port());
    }
    int k = caller.next++ % DISTINCT;
    int status = caller.connection.send(requests.get(k));
    if (status == 200) {
      outcomes.answered++;
    } else if (status == 503) {
      outcomes.refused++;
    } else {
      throw new IllegalStateException("status " + status + ": " + caller.connection.bodyText());
    }
    return status;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    cpu.mark(label());
    System.out.println("\n" + label() + ": " + served.batchingStats()
        + (path.equals("server") ? "; answers not byte for byte the request's answer alone: " + differing.sum() : ""));
    server.close();
    served.close();
    AtomicFiles.deleteTree(dir);
  }
}

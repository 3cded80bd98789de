package dev.rnnx.bench;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Dynamic batching under load: 16 threads, each sending one sequence per call (batch 1), to an
 * LSTM where batching matters (64 features, 256 units by default, 50 steps, then Dense(1); seeded initial
 * weights exported with rnnx's exporter) served by {@link RnnxModel} on ONNX Runtime with
 * {@link dev.rnnx.djl.OrtOptions#DEFAULTS}. {@code batching=off}: a pool of two predictors, one
 * engine call per request; {@code on}: {@link BatchingOptions#DEFAULTS} merges waiting requests
 * (up to 32 rows, 2 ms) into one call per worker. {@code Throughput} gives requests per second
 * across the 16 threads, {@code SampleTime} the latency percentiles (p99) each caller sees.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(16)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class BatchingBenchmark {

  static final int FEATURES = 64;
  static final int STEPS = 50;
  static final int DISTINCT_INPUTS = 64;

  /**
   * {@code off}, {@code on} ({@link BatchingOptions#DEFAULTS}), or {@code <rows>x<ms>ms-<workers>w}
   * for other batching options, e.g. {@code 16x1ms-1w}.
   */
  @Param({"off", "on"})
  public String batching;

  /** LSTM units: 256 by default; smaller models gain more from batching (docs/SERVING.md). */
  @Param({"256"})
  public int units;

  private Path dir;
  private RnnxModel model;
  private ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor;
  private List<Map<String, ? extends Tensor>> inputs;

  /** Which input a caller thread sends next. */
  @State(Scope.Thread)
  public static class Caller {
    int next;
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("rnnx-batching-bench");
    Path onnx = writeModel(dir.resolve("lstm.onnx"), units);
    RnnxModel.Builder b = RnnxModel.builder(onnx);
    if ("on".equals(batching)) {
      b.optBatching(BatchingOptions.DEFAULTS);
    } else if (!"off".equals(batching)) {
      String[] p = batching.split("x|ms-|w");
      b.optBatching(new BatchingOptions(Integer.parseInt(p[0]), java.time.Duration.ofMillis(Long.parseLong(p[1])),
          Integer.parseInt(p[2])));
    }
    model = b.build();
    predictor = model.tensors();
    Random r = new Random(1);
    inputs = new java.util.ArrayList<>();
    for (int i = 0; i < DISTINCT_INPUTS; i++) {
      float[] x = new float[STEPS * FEATURES];
      for (int k = 0; k < x.length; k++) {
        x[k] = (float) r.nextGaussian();
      }
      inputs.add(Map.of("input", FloatTensor.of(x, 1, STEPS, FEATURES)));
    }
  }

  /** The benchmark LSTM with {@code units} units as an ONNX file. */
  static Path writeModel(Path file, int units) throws IOException {
    Sequential spec = new Sequential("batching-lstm", FEATURES,
        List.of(Lstm.of("lstm", units, false), new Dense("dense", 1, Activation.LINEAR, true)));
    var weights = InitialWeights.generate(spec, 7);
    OnnxExporter.write(OnnxExporter.export(spec, weights, new Provenance(spec.name(), "", 7, Map.of(), Map.of())).get("model"), file);
    return file;
  }

  @Benchmark
  public Object request(Caller caller) {
    return predictor.predict(inputs.get(caller.next++ % DISTINCT_INPUTS));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    System.out.println("\n" + batching + ": " + model.batchingStats());
    model.close();
    AtomicFiles.deleteTree(dir);
  }
}

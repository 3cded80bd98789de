package dev.rnnx.bench;

import dev.rnnx.djl.OrtOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.ServingPredictor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ONNX Runtime session options behind {@link OrtOptions#DEFAULTS}: the batching benchmark's
 * LSTM ({@link BatchingBenchmark#writeModel}) served by {@link RnnxModel} (pool of two, no
 * batching) at batch 1 and 32, with rnnx's defaults (one intra-op thread, no spinning), two
 * intra-op threads without spinning, and ONNX Runtime's own defaults (a thread per core,
 * spinning). Run it with {@code -t 1} (one caller: latency) and {@code -t 16} (many callers:
 * what a server sees).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true"})
public class OrtOptionsBenchmark {

  @Param({"rnnx", "intra2", "ort"})
  public String options;

  @Param({"1", "32"})
  public int batch;

  /** LSTM units, as in {@link BatchingBenchmark#units}. */
  @Param({"256"})
  public int units;

  private Path dir;
  private RnnxModel model;
  private ServingPredictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor;
  private Map<String, Tensor> input;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("rnnx-ort-options-bench");
    OrtOptions ort = switch (options) {
      case "rnnx" -> OrtOptions.DEFAULTS;
      case "intra2" -> OrtOptions.DEFAULTS.withIntraOpThreads(2);
      case "ort" -> OrtOptions.ENGINE_DEFAULTS;
      default -> throw new IllegalArgumentException(options);
    };
    model = RnnxModel.builder(BatchingBenchmark.writeModel(dir.resolve("lstm.onnx"), units)).optOrtOptions(ort).build();
    predictor = model.tensors();
    Random r = new Random(1);
    float[] x = new float[batch * BatchingBenchmark.STEPS * BatchingBenchmark.FEATURES];
    for (int k = 0; k < x.length; k++) {
      x[k] = (float) r.nextGaussian();
    }
    input = Map.of("input", FloatTensor.of(x, batch, BatchingBenchmark.STEPS, BatchingBenchmark.FEATURES));
  }

  @Benchmark
  public Object call() {
    return predictor.predict(input);
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    model.close();
    AtomicFiles.deleteTree(dir);
  }
}

package dev.rnnx.bench;

import dev.rnnx.djl.IsolatedOnnxModel;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.FloatTensor;
import java.nio.file.Path;
import java.util.Map;
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
 * The per-call cost of isolation (docs/RELIABILITY.md): one {@code predict} of the golden
 * sine-lstm model ({@code models/golden/sine-lstm/model.onnx}, one sequence of 25 steps) through
 * {@link RnnxModel} in this JVM ({@code isolate=false}) and through {@link IsolatedOnnxModel}, whose
 * ONNX Runtime runs in a child JVM and whose tensors travel as files ({@code isolate=true}).
 * Run from the repository root: {@code bench/run} or {@code java -cp ... org.openjdk.jmh.Main IsolationBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Djava.awt.headless=true"})
public class IsolationBenchmark {

  @Param({"false", "true"})
  public boolean isolate;

  private RnnxModel inProcess;
  private IsolatedOnnxModel isolated;
  private Map<String, FloatTensor> request;

  @Setup(Level.Trial)
  public void open() {
    Path model = Path.of("models/golden/sine-lstm/model.onnx");
    float[] x = new float[25];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.sin(i * 0.3);
    }
    request = Map.of("input", new FloatTensor(new long[] {1, 25, 1}, x));
    if (isolate) {
      isolated = RnnxModel.builder(model).buildIsolated();
    } else {
      inProcess = RnnxModel.builder(model).optPoolSize(1).build();
    }
    predict();
  }

  @Benchmark
  public Object predict() {
    return isolate ? isolated.predict(request) : inProcess.tensors().predict(request);
  }

  @TearDown(Level.Trial)
  public void close() {
    if (isolated != null) {
      isolated.close();
    }
    if (inProcess != null) {
      inProcess.close();
    }
  }
}

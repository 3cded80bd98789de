package dev.rnnx.bench;

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
 * Inference latency and throughput of every benchmark model ({@link BenchModel}) at batch 1 and
 * 32 on every path ({@link BenchPath}): raw ONNX Runtime, DJL on ONNX Runtime, DJL on TensorFlow,
 * the TensorFlow Java session, and the double-precision Java reference. One call is one batch,
 * from Java arrays to Java arrays. {@code SampleTime} gives the latency percentiles; with one
 * benchmark thread, throughput is {@code batch / mean latency} sequences per second, which
 * {@link PerformanceTable} derives rather than spending a second fork per combination on JMH's
 * {@code Throughput} mode. Every parameter combination runs in its own JVM (ONNX Runtime's
 * environment cannot be shared by the raw API and DJL).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Djava.awt.headless=true"})
public class InferenceBenchmark {

  @Param({"lstm", "gru", "bilstm2", "transformer", "seq2seq"})
  public String model;

  @Param({"1", "32"})
  public int batch;

  @Param({"ort", "djl-ort", "djl-tf", "tf-java", "ref"})
  public String path;

  /** Whether the raw {@code ort} path's intra-op threads spin (ONNX Runtime's default); other paths ignore it. */
  @Param({"true"})
  public boolean spinning;

  private BenchPath runner;

  @Setup(Level.Trial)
  public void open() {
    runner = BenchPath.open(path, BenchModel.of(model), batch, spinning);
    runner.run(); // the first call allocates native buffers and initialises kernels
  }

  @Benchmark
  public Object infer() {
    return runner.run();
  }

  @TearDown(Level.Trial)
  public void close() {
    runner.close();
  }
}

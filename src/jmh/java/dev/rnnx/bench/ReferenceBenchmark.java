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
 * Both pure-Java oracles on every benchmark model: the layer reference forward ({@link BenchPath}
 * {@code ref}) and the ONNX evaluator on the model's exported ONNX form ({@code ref-onnx}, the
 * oracle of {@code verify --onnx}), each with its original loops ({@code naive}: system property
 * {@code rnnx.ref.kernels=naive}) and the blocked, vectorised, multi-core kernels
 * ({@code blocked}, the default), in one run so the ratio compares like with like. Each
 * combination runs in its own JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Djava.awt.headless=true"})
public class ReferenceBenchmark {

  @Param({"lstm", "gru", "bilstm2", "transformer", "seq2seq"})
  public String model;

  @Param({"1", "32"})
  public int batch;

  @Param({"naive", "blocked"})
  public String kernels;

  @Param({"ref", "ref-onnx"})
  public String oracle;

  private BenchPath runner;

  @Setup(Level.Trial)
  public void open() {
    System.setProperty("rnnx.ref.kernels", kernels);
    runner = BenchPath.open(oracle, BenchModel.of(model), batch, true);
    runner.run();
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

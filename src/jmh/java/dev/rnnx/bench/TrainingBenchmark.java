package dev.rnnx.bench;

import dev.rnnx.tf.TrainingSpeed;
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
 * One TensorFlow Java training step (forward, backward, Adam) of an LSTM with I=64, H=256, T=50 at
 * batch 32, for each graph variant and session setting of {@link TrainingSpeed}: the naive
 * unrolled graph the issue measured, each lever on its own, and rnnx's own training graph.
 * GFLOP/s count 3× the forward FLOPs (forward, and the backward pass's two products per forward
 * product). oneDNN is switched by the environment variable {@code TF_ENABLE_ONEDNN_OPTS}, read when
 * TensorFlow loads: run the benchmark once with each value.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TrainingBenchmark {

  @Param({"naive", "fused-matmul", "hoisted", "rnnx", "rnnx-2threads", "block-lstm"})
  public String variant;

  private TrainingSpeed.Step step;

  @Setup(Level.Trial)
  public void open() {
    step = TrainingSpeed.open(variant);
    step.run();
  }

  @Benchmark
  public float trainStep() {
    return step.run();
  }

  @TearDown(Level.Trial)
  public void close() {
    step.close();
  }
}

package dev.rnnx.bench;

import dev.rnnx.tf.TrainingSpeed;
import java.util.Locale;
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
 * unrolled graph, each lever on its own, and rnnx's own training graph ({@code rnnx}).
 * {@link PerformanceTable} reports GFLOP/s at 3× the forward FLOPs and the speed-up over
 * {@code naive}.
 *
 * <p>oneDNN is switched by the environment variable {@code TF_ENABLE_ONEDNN_OPTS}, read once when
 * TensorFlow loads, so it cannot be a JMH parameter that changes anything: {@link #onednn} labels
 * the run ({@code default}: the variable unset; {@code off}: set to 0), and the setup refuses a
 * label that does not match the environment the forks inherited.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class TrainingBenchmark {

  @Param({"naive", "naive-1thread", "naive-2x2", "fused-matmul", "hoisted", "addn", "hoisted-gates", "hoisted-gates-2x2",
      "rnnx", "rnnx-1thread", "rnnx-2threads", "rnnx-inter2", "rnnx-2x2", "rnnx-no-rewrites", "block-lstm", "block-lstm-2threads"})
  public String variant;

  /** The oneDNN setting of this run: {@code default} or {@code off}, matching {@code TF_ENABLE_ONEDNN_OPTS}. */
  @Param({"default"})
  public String onednn;

  private TrainingSpeed.Step step;

  @Setup(Level.Trial)
  public void open() {
    String env = System.getenv("TF_ENABLE_ONEDNN_OPTS");
    String actual = env == null ? "default" : env.equals("0") ? "off" : "on";
    if (!actual.equals(onednn.toLowerCase(Locale.ROOT))) {
      throw new IllegalStateException("parameter onednn=" + onednn + " but TF_ENABLE_ONEDNN_OPTS is "
          + (env == null ? "unset" : env) + " (run with TF_ENABLE_ONEDNN_OPTS=0 for off, unset for default)");
    }
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

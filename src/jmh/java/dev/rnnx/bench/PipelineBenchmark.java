package dev.rnnx.bench;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.pipeline.EngineBackends;
import dev.rnnx.pipeline.RunPipeline;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.Verification;
import dev.rnnx.verify.VerifyOptions;
import dev.rnnx.verify.VerifyReport;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time of rnnx's two offline stages, one call per iteration ({@code SingleShotTime}, after
 * warm-up calls in the same JVM):
 *
 * <ul>
 *   <li>{@code export}: what {@code rnnx run} does after training, for the benchmark LSTM
 *       (I=64, H=256, {@link BenchModel#LSTM}): the SavedModel export and the ONNX export
 *       (converters, checker, file write), into a fresh folder each call;
 *   <li>{@code verify}: {@code rnnx verify RUN_DIR --backends tf-java,djl-ort,djl-tf} on the run
 *       folder of the {@code sine-lstm} recipe ({@link Verification#verifyRun}): loading the backends
 *       {@code rnnx run} checks and comparing them on the recipe's verification inputs. The folder is made once per fork by running the recipe (untimed).
 * </ul>
 *
 * Run from the repository root: the recipe is read from {@code models/sine-lstm.yaml}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Djava.awt.headless=true"})
public class PipelineBenchmark {

  /** The weights and a scratch folder of the export benchmark. */
  @State(Scope.Benchmark)
  public static class Export {
    Sequential model;
    Weights weights;
    Path folder;
    int call;

    @Setup(Level.Trial)
    public void open() throws IOException {
      model = (Sequential) BenchModel.LSTM.spec();
      weights = BenchModel.LSTM.weights();
      folder = Files.createTempDirectory("rnnx-bench-export-");
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      AtomicFiles.deleteTree(folder);
    }
  }

  /** A finished run folder of the {@code sine-lstm} recipe. */
  @State(Scope.Benchmark)
  public static class Run {
    Path folder;

    @Setup(Level.Trial)
    public void open() throws IOException {
      folder = Files.createTempDirectory("rnnx-bench-run-");
      Path dir = folder.resolve("sine-lstm");
      RunPipeline.run(RecipeCodec.read(Path.of("models", "sine-lstm.yaml")), dir, dev.rnnx.tf.TrainingListener.NONE,
          new PrintStream(OutputStream.nullOutputStream()));
      folder = dir;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      AtomicFiles.deleteTree(folder.getParent());
    }
  }

  @Benchmark
  public Path export(Export state) throws IOException {
    Path dir = state.folder.resolve("call-" + state.call++);
    try (TfServingModel serving = TfServingModel.build(state.model, state.weights)) {
      serving.exportSavedModel(dir.resolve("saved_model"), BenchPath.provenance(state.model));
    }
    Path onnx = dir.resolve("model.onnx");
    OnnxExporter.write(OnnxExporter.export(state.model, state.weights, BenchPath.OPSET, BenchPath.provenance(state.model)).get("model"), onnx);
    return onnx;
  }

  @Benchmark
  public VerifyReport verify(Run state) {
    VerifyOptions options = VerifyOptions.builder().variants(java.util.List.of())
        .backends(BackendKind.RUN_PIPELINE_CANDIDATES.stream().map(BackendKind::id).toList()).build();
    return Verification.verifyRun(state.folder, options, EngineBackends.INSTANCE);
  }
}

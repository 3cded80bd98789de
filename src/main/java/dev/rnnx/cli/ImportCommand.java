package dev.rnnx.cli;

import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImports;
import dev.rnnx.pipeline.ImportRun;
import dev.rnnx.spec.ExportSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnx import FILE [--out DIR]}: a Keras or ONNX model written as a run folder, verified, without training. */
@Command(name = "import", mixinStandardHelpOptions = true,
    header = "Import a Keras or ONNX model into a run folder: weights, SavedModel, ONNX, parity.",
    description = "Read a model made elsewhere (Keras .h5, .keras, .weights.h5 with its config JSON; ONNX), write it as a run"
        + " folder (the recipe, weights.safetensors with the source's SHA-256, format, framework and version, saved_model/,"
        + " model.onnx, import.json) and verify parity of every backend, without training. verify, export, predict and"
        + " summary then take the folder; run RECIPE --init-from DIR fine-tunes it. See docs/IMPORT.md.")
final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The model file (.h5, .hdf5, .keras, .weights.h5, .onnx).")
  Path file;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: build/imports/<model name>).")
  Path out;

  @Option(names = "--config", paramLabel = "JSON",
      description = "The model config (model.to_json()) of a Keras weights-only file (default: <stem>.json or config.json beside it).")
  Path config;

  @Option(names = "--length", paramLabel = "STEPS",
      description = "Time steps of the parity inputs (default: " + ImportRun.DEFAULT_LENGTH + ", or the model's fixed length).")
  Integer length;

  @Option(names = "--opset", paramLabel = "N", description = "ONNX opset to export at (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + ExportSpec.DEFAULT_OPSET)
  int opset;

  @Override
  public Integer call() throws Exception {
    if (length != null && length < 1) {
      throw new IllegalArgumentException("--length is " + length + ", expected a positive integer");
    }
    long t = System.nanoTime();
    ImportedModel model = ModelImports.read(file, config);
    int length = this.length != null ? this.length : ImportRun.defaultLength(model);
    double readSeconds = (System.nanoTime() - t) / 1e9;
    Path dir = out != null ? out : Path.of("build", "imports", ImportRun.recipe(model, length, opset).name());
    System.out.printf(Locale.ROOT, "rnnx import %s (%s, %s %s): %d parameters read in %.2f s -> %s%n", file,
        model.source().format(), model.source().framework(), model.source().frameworkVersion(),
        model.model().parameters().stream().mapToLong(p -> p.size()).sum(), readSeconds, dir);
    model.notes().forEach(n -> System.out.println("note: " + n));
    ImportRun.Result result = ImportRun.write(model, dir, length, opset, System.out);
    System.out.printf(Locale.ROOT, "import: %s (%.1f s in all)%n", dir.resolve(ImportRun.SUMMARY), result.timings().get("total")
        + readSeconds);
    return result.passed() ? ExitCodes.OK : ExitCodes.MISMATCH;
  }
}

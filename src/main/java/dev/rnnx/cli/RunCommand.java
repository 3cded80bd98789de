package dev.rnnx.cli;

import dev.rnnx.pipeline.RunPipeline;
import dev.rnnx.pipeline.RunReport;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rnnx run [RECIPE] [--out DIR]}: train, export, verify and report one recipe. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Train a recipe with TensorFlow Java, export it to a SavedModel and ONNX, verify parity across"
        + " djl-ort, djl-tf, tf-java and ref, and write the report.")
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "RECIPE", defaultValue = "models/sine-lstm.yaml",
      description = "Recipe YAML (default: ${DEFAULT-VALUE}).")
  Path recipeFile;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: build/runs/<recipe name>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Recipe recipe = RecipeCodec.read(recipeFile);
    Path dir = out != null ? out : Path.of("build", "runs", recipe.name());
    System.out.printf(Locale.ROOT, "rnnx run %s -> %s%n", recipe.name(), dir);
    RunReport report;
    try (ProgressListener progress = new ProgressListener(recipe.training().epochs(), System.out)) {
      report = RunPipeline.run(recipe, dir, progress, System.out);
    }
    System.out.printf(Locale.ROOT, "report: %s (%.1f s in all)%n", report.artifacts().report(), report.timings().get("total"));
    return report.passed() ? ExitCodes.OK : ExitCodes.MISMATCH;
  }
}

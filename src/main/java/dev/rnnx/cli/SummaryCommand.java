package dev.rnnx.cli;

import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnx summary RECIPE|RUN_DIR}: a Keras-style table of layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    header = "Print the recipe's layers, output shapes and parameter counts.",
    description = "Print a Keras-style table of the recipe's layers, output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RECIPE", description = "Recipe YAML, or a run folder (run, import).")
  Path recipeFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Recipe recipe = java.nio.file.Files.isDirectory(recipeFile) ? dev.rnnx.djl.RunFolder.open(recipeFile).recipe()
        : RecipeCodec.read(recipeFile);
    spec.commandLine().getOut().print(ModelSummary.of(recipe.model()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}

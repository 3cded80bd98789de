package dev.rnnx.cli;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rnnx summary RECIPE}: a Keras-style table of layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = "Print a Keras-style table of the recipe's layers, output shapes and parameter counts.")
final class SummaryCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RECIPE", description = "Recipe YAML.")
  Path recipeFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Recipe recipe = RecipeCodec.read(recipeFile);
    spec.commandLine().getOut().print(table(recipe.model()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** The summary table of a model. */
  static String table(Sequential model) {
    StringBuilder sb = new StringBuilder();
    String rule = "-".repeat(68) + "\n";
    sb.append("Model: \"").append(model.name()).append("\"\n").append(rule);
    sb.append(String.format(Locale.ROOT, "%-28s %-26s %12s%n", "Layer (type)", "Output Shape", "Param #"));
    sb.append(rule.replace('-', '='));
    List<Shape> inputs = model.layerInputShapes();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      long params = layer.parameters(inputs.get(i)).stream().mapToLong(ParameterSpec::size).sum();
      List<Shape> outs = layer.outputShapes(inputs.get(i));
      sb.append(String.format(Locale.ROOT, "%-28s %-26s %12d%n", layer.name() + " (" + layer.kind() + ")", outs.get(0), params));
      for (int k = 1; k < outs.size(); k++) {
        sb.append(String.format(Locale.ROOT, "%-28s %-26s%n", "", outs.get(k)));
      }
    }
    sb.append(rule.replace('-', '='));
    sb.append(String.format(Locale.ROOT, "Total params: %d%n", model.parameterCount()));
    sb.append(rule);
    return sb.toString();
  }
}

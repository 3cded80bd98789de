package dev.rnnx.cli;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    spec.commandLine().getOut().print(recipe.model() instanceof Sequential s ? table(s) : parameterTable(recipe.model()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  /** The summary table of a model, with a note comparing GRU and LSTM sizes for each gated layer. */
  static String table(Sequential model) {
    List<Shape> inputs = model.layerInputShapes();
    List<String[]> rows = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      long params = count(layer, inputs.get(i));
      List<Shape> outs = layer.outputShapes(inputs.get(i));
      rows.add(new String[] {layer.name() + " (" + layer.kind() + ")", outs.get(0).toString(), String.format(Locale.ROOT, "%,d", params)});
      for (int k = 1; k < outs.size(); k++) {
        rows.add(new String[] {"", outs.get(k).toString(), ""});
      }
      RecurrentLayer cell = layer instanceof Bidirectional b ? b.layer() : layer instanceof RecurrentLayer r ? r : null;
      if (cell instanceof Gru || cell instanceof Lstm) {
        int directions = layer instanceof Bidirectional ? 2 : 1;
        int in = inputs.get(i).dim(-1);
        int h = cell.units();
        boolean gru = cell instanceof Gru;
        long other = (long) directions * (gru ? 4L * h * (in + h + 1) : 3L * h * (in + h + 2));
        notes.add(String.format(Locale.ROOT, "%s: %,d parameters; %s of the same width would have %,d (%s)", layer.name(), params,
            gru ? "an LSTM" : "a GRU (reset_after)", other,
            "GRU has 3 gate blocks and one state, LSTM 4 blocks and two states"));
      }
    }
    int w0 = Math.max("Layer (type)".length(), rows.stream().mapToInt(r -> r[0].length()).max().orElse(0)) + 2;
    int w1 = Math.max("Output Shape".length(), rows.stream().mapToInt(r -> r[1].length()).max().orElse(0)) + 2;
    int w2 = 12;
    String format = "%-" + w0 + "s%-" + w1 + "s%" + w2 + "s%n";
    String rule = "-".repeat(w0 + w1 + w2) + "\n";
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.name()).append("\"\n").append(rule);
    sb.append(String.format(Locale.ROOT, format, "Layer (type)", "Output Shape", "Param #"));
    sb.append(rule.replace('-', '='));
    for (String[] r : rows) {
      sb.append(String.format(Locale.ROOT, format, r[0], r[1], r[2]));
    }
    sb.append(rule.replace('-', '='));
    sb.append(String.format(Locale.ROOT, "Total params: %,d%n", model.parameterCount()));
    sb.append(rule);
    notes.forEach(n -> sb.append(n).append('\n'));
    return sb.toString();
  }

  /** The parameters of a non-sequential model, grouped by their first name segment. */
  static String parameterTable(ModelSpec model) {
    Map<String, Long> groups = new LinkedHashMap<>();
    Map<String, List<String>> shapes = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      String group = p.name().contains("/") ? p.name().substring(0, p.name().indexOf('/')) : p.name();
      groups.merge(group, p.size(), Long::sum);
      shapes.computeIfAbsent(group, k -> new ArrayList<>()).add(p.name() + java.util.Arrays.toString(p.shape()));
    }
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.name()).append("\" (").append(model.kind()).append(")\n");
    int w = Math.max(20, groups.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
    String rule = "-".repeat(w + 14) + "\n";
    sb.append(rule).append(String.format(Locale.ROOT, "%-" + w + "s%14s%n", "Part", "Param #")).append(rule.replace('-', '='));
    groups.forEach((g, n) -> sb.append(String.format(Locale.ROOT, "%-" + w + "s%14s%n", g, String.format(Locale.ROOT, "%,d", n))));
    sb.append(rule.replace('-', '=')).append(String.format(Locale.ROOT, "Total params: %,d%n", model.parameterCount())).append(rule);
    return sb.toString();
  }

  private static long count(Layer layer, Shape input) {
    return layer.parameters(input).stream().mapToLong(ParameterSpec::size).sum();
  }
}

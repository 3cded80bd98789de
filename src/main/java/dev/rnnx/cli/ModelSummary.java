package dev.rnnx.cli;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text {@code rnnx summary} prints, computed from the spec alone: a Keras-style table for a
 * sequential model (each layer's {@link Layer#typeName} as Keras names it, {@link Layer#outputShapes},
 * {@link Layer#parameterCount}, then the {@link Layer#summaryNote}s, each heading once), a table of
 * parameter groups for the other kinds. A new layer kind
 * needs nothing here.
 */
public final class ModelSummary {

  private ModelSummary() {}

  /** The summary of any model. */
  public static String of(ModelSpec model) {
    return model instanceof Sequential s ? table(s) : parameterTable(model);
  }

  /** The summary table of a model, computed from the spec alone, then each layer's {@link Layer#summaryNote}. */
  public static String table(Sequential model) {
    List<Shape> inputs = model.layerInputShapes();
    List<String[]> rows = new ArrayList<>();
    Map<String, List<String>> notes = new LinkedHashMap<>();
    for (int i = 0; i < model.layers().size(); i++) {
      Layer layer = model.layers().get(i);
      long params = layer.parameterCount(inputs.get(i));
      List<Shape> outs = layer.outputShapes(inputs.get(i));
      rows.add(new String[] {layer.name() + " (" + layer.typeName() + ")", outs.get(0).toString(), String.format(Locale.ROOT, "%,d", params)});
      for (int k = 1; k < outs.size(); k++) {
        rows.add(new String[] {"", outs.get(k).toString(), ""});
      }
      layer.summaryNote(inputs.get(i)).ifPresent(n -> notes.computeIfAbsent(n.heading(), h -> new ArrayList<>()).add(n.line()));
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
    notes.forEach((heading, lines) -> {
      sb.append(heading).append('\n');
      lines.forEach(l -> sb.append(l).append('\n'));
    });
    return sb.toString();
  }

  /** The parameters of a non-sequential model, grouped by their first name segment. */
  public static String parameterTable(ModelSpec model) {
    Map<String, Long> groups = new LinkedHashMap<>();
    Map<String, List<String>> shapes = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) {
      String group = p.name().contains("/") ? p.name().substring(0, p.name().indexOf('/')) : p.name();
      groups.merge(group, p.size(), Long::sum);
      shapes.computeIfAbsent(group, k -> new ArrayList<>()).add(p.name() + Arrays.toString(p.shape()));
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
}

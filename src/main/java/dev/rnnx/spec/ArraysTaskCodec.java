package dev.rnnx.spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The recipe fields of an {@link ArraysTask} ({@code data: {task: arrays, …}}), read and written for {@link RecipeCodec}. */
final class ArraysTaskCodec {

  private ArraysTaskCodec() {}

  /** Reads the task's fields; file paths resolved against the recipe's folder. */
  static ArraysTask read(RecipeNode n, Path baseDir) {
    String train = baseDir.resolve(n.string("train")).normalize().toString();
    String validation = n.has("validation") ? baseDir.resolve(n.string("validation")).normalize().toString() : "";
    Map<String, OutputLoss> losses = new LinkedHashMap<>();
    if (n.has("losses")) {
      RecipeNode l = n.child("losses");
      for (String key : l.keys()) {
        losses.put(key, l.parse(key, l.string(key), OutputLoss::fromName));
      }
      l.rejectUnknown();
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    if (n.has("loss_weights")) {
      RecipeNode w = n.child("loss_weights");
      for (String key : w.keys()) {
        weights.put(key, w.number(key));
      }
      w.rejectUnknown();
    }
    return new ArraysTask(train, validation, n.number("validation_fraction", 0.2), losses, weights, n.integer("length", 0));
  }

  /** Writes the task's fields after {@code task}, in the order {@link #read} takes them. */
  static void write(ArraysTask a, Map<String, Object> m) {
    m.put("train", a.train());
    if (!a.validation().isEmpty()) {
      m.put("validation", a.validation());
    }
    m.put("validation_fraction", a.validationFraction());
    Map<String, String> losses = new LinkedHashMap<>();
    a.losses().forEach((k, v) -> losses.put(k, v.recipeName()));
    m.put("losses", losses);
    m.put("loss_weights", a.lossWeights());
    m.put("length", a.length());
  }
}

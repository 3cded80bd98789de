package dev.rnnx.djl;

import dev.rnnx.onnx.OnnxExporter;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tf.InitialWeights;
import dev.rnnx.tf.TfForms;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run folders of sequential models as {@code rnnx run} leaves them (recipe recorded in
 * {@code weights.safetensors}, {@code model.onnx}), with seeded initial weights instead of
 * training: serving needs the layout and real numbers, not a trained model. Pure Java.
 */
public final class ServingRuns {

  private ServingRuns() {}

  /** A run folder for a recipe of the zoo ({@code models/<name>.yaml}). */
  public static Path zoo(Path dir, String name) throws IOException {
    return of(dir, RecipeCodec.read(Path.of("models", name + ".yaml")));
  }

  /** A run folder for a recipe given as YAML text. */
  static Path yaml(Path dir, String text) throws IOException {
    return of(dir, RecipeCodec.parse(text, "test recipe"));
  }

  /** A run folder for a recipe. */
  static Path of(Path dir, Recipe recipe) throws IOException {
    Sequential model = recipe.sequential();
    Weights weights = InitialWeights.generate(model, recipe.seed());
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Map.of(), Map.of());
    Files.createDirectories(dir);
    Safetensors.write(dir.resolve("weights.safetensors"), weights, provenance.toMetadata());
    OnnxExporter.write(OnnxExporter.export(model, weights, provenance).get("model"), dir.resolve("model.onnx"));
    return dir;
  }

  /** Adds the SavedModel of a run folder made by {@link #of}, as {@code rnnx run} writes it. */
  static Path withSavedModel(Path dir) throws IOException {
    Recipe recipe = RecipeCodec.read(Path.of("models", dir.getFileName() + ".yaml"));
    Provenance provenance = new Provenance(recipe.name(), RecipeCodec.write(recipe), recipe.seed(), Map.of(), Map.of());
    try (TfForms forms = TfForms.build(recipe.sequential(), weights(dir))) {
      forms.exportSavedModels(dir.resolve("saved_model"), provenance);
    }
    return dir;
  }

  /** The weights a run folder holds. */
  static Weights weights(Path dir) {
    return Safetensors.read(dir.resolve("weights.safetensors")).weights();
  }
}

package dev.rnnx.djl;

import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A finished run's folder as the inference layer reads it: the recipe recorded in
 * {@code weights.safetensors}, and each form's artifact ({@code <form>.onnx} or
 * {@code saved_model/<form>/}).
 *
 * @param dir the folder
 * @param recipe the recipe the run trained
 */
public record RunFolder(Path dir, Recipe recipe) {

  /**
   * Opens a run folder.
   *
   * @throws IllegalArgumentException when it is missing or holds no recorded recipe
   */
  public static RunFolder open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("run folder " + dir + " does not exist, expected the output folder of 'rnnx run'");
    }
    Path weights = dir.resolve("weights.safetensors");
    Provenance provenance;
    try {
      provenance = Provenance.fromMetadata(Safetensors.read(weights).metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
    }
    return new RunFolder(dir, RecipeCodec.parse(provenance.recipeYaml(), weights + " (recorded recipe)"));
  }

  /** The model. */
  public ModelSpec model() {
    return recipe.model();
  }

  /**
   * Loads one form on an engine: {@link DjlModel#ONNX_RUNTIME} reads {@code <form>.onnx},
   * {@link DjlModel#TENSORFLOW} reads {@code saved_model/<form>/}.
   */
  public DjlModel load(String form, String engine) {
    return loadForm(dir, form, engine);
  }

  /** {@link #load} for a folder whose recipe is not needed. */
  public static DjlModel loadForm(Path dir, String form, String engine) {
    if (DjlModel.ONNX_RUNTIME.equalsIgnoreCase(engine) || "onnx".equalsIgnoreCase(engine)) {
      return DjlModel.loadOnnx(dir.resolve(form + ".onnx"));
    }
    if (DjlModel.TENSORFLOW.equalsIgnoreCase(engine) || "tf".equalsIgnoreCase(engine)) {
      return DjlModel.loadSavedModel(dir.resolve("saved_model").resolve(form));
    }
    throw new IllegalArgumentException("unknown engine '" + engine + "', expected OnnxRuntime or TensorFlow");
  }
}

package dev.rnnx.djl;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.RunFiles;
import dev.rnnx.weights.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A finished run's folder as the inference layer reads it: the recipe recorded in
 * {@code weights.safetensors}, and each form's artifact ({@code <form>.onnx} or
 * {@code saved_model/<form>/}, {@code saved_model/} for a sequential model's one form).
 *
 * @param dir the folder
 * @param recipe the recipe the run trained
 */
public record RunFolder(Path dir, Recipe recipe) {

  /**
   * Opens a run folder.
   *
   * @throws IllegalArgumentException when it is missing, holds no recorded recipe, or one of its files is not a
   *     regular file ({@link RunFiles#checkRunFolder})
   */
  public static RunFolder open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("run folder " + dir + " does not exist, expected the output folder of 'rnnx run'");
    }
    RunFiles.checkRunFolder(dir);
    Path weights = dir.resolve("weights.safetensors");
    Safetensors.Contents contents = Safetensors.read(weights); // its refusals name the file
    Provenance provenance;
    try {
      provenance = Provenance.fromMetadata(contents.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(weights + ": " + e.getMessage(), e);
    }
    return new RunFolder(dir, RecipeCodec.parse(provenance.recipeYaml(), weights + " (recorded recipe)"));
  }

  /** The model. */
  public ModelSpec model() {
    return recipe.model();
  }

  /** A form's ONNX file, {@code <form>.onnx}. */
  public Path onnxFile(String form) {
    return dir.resolve(form + ".onnx");
  }

  /** A form's SavedModel folder: {@code saved_model/} for {@link ModelForm#MODEL}, else {@code saved_model/<form>/}. */
  public Path savedModel(String form) {
    return ModelForm.MODEL.equals(form) ? dir.resolve("saved_model") : dir.resolve("saved_model").resolve(form);
  }
}

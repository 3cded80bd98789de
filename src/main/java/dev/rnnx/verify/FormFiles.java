package dev.rnnx.verify;

import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Sequential;
import java.nio.file.Path;

/**
 * Where one form's exported artifacts are.
 *
 * @param onnx the form's ONNX file
 * @param savedModel the form's SavedModel folder, or {@code null}
 */
public record FormFiles(Path onnx, Path savedModel) {

  /**
   * The files of a form in a run folder: {@code model.onnx} and {@code saved_model/} for a
   * sequential or graph model, {@code <form>.onnx} and {@code saved_model/<form>/} for every other kind.
   */
  public static FormFiles inRun(Path dir, ModelSpec model, String form) {
    model.form(form);
    if (model instanceof Sequential || model instanceof dev.rnnx.spec.Graph) {
      return new FormFiles(dir.resolve("model.onnx"), dir.resolve("saved_model"));
    }
    return new FormFiles(dir.resolve(form + ".onnx"), dir.resolve("saved_model").resolve(form));
  }
}

package dev.rnnx.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * With an ONNX file and a SavedModel of the same model, whose side each backend takes when the
 * SavedModel's backends all fail against the reference on the ONNX file: the ONNX side is that
 * reference ({@code ref-onnx}, or the first ONNX backend when the evaluator cannot run the file) and
 * every backend that agrees with it; the SavedModel side is the first SavedModel
 * backend and every backend that agrees with that one. When both SavedModel backends agree with
 * each other and not with the ONNX file, the two artifacts compute different functions: which of
 * them is right cannot be told from the two alone, and the verdict says so instead of taking the
 * ONNX file as the truth.
 *
 * @param disagree whether the artifacts compute different outputs (a SavedModel backend that ran
 *     failed against the reference on the ONNX file, and none passed)
 * @param onnx the ONNX file
 * @param savedModel the SavedModel folder
 * @param withOnnx the backends that agree with the reference on the ONNX file, it first
 * @param withSavedModel the backends that agree with the SavedModel's first backend, it first
 * @param withNeither the backends that ran and agree with neither
 * @param maxAbsErr the largest absolute error of the SavedModel's first backend against that reference
 * @param weights the parameter-by-parameter comparison of the two artifacts' weights (the first
 *     differing layer, parameter and gate block), or why it was not made
 */
public record ArtifactOpinions(boolean disagree, String onnx, String savedModel, List<String> withOnnx,
    List<String> withSavedModel, List<String> withNeither, double maxAbsErr, String weights) {

  /** Copies the lists. */
  public ArtifactOpinions {
    withOnnx = List.copyOf(withOnnx);
    withSavedModel = List.copyOf(withSavedModel);
    withNeither = List.copyOf(withNeither);
  }

  /** One paragraph for the console and the reports: whether the artifacts disagree, and who sides with which. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(disagree
        ? String.format(Locale.ROOT, "the artifacts disagree: the ONNX file %s and the SavedModel %s compute different"
            + " outputs (max abs err %.3e); the two alone cannot tell which is right", onnx, savedModel, maxAbsErr)
        : "the artifacts agree: a SavedModel backend matches the reference on the ONNX file");
    parts.add("with the ONNX file: " + list(withOnnx));
    parts.add("with the SavedModel: " + list(withSavedModel));
    if (!withNeither.isEmpty()) {
      parts.add("with neither: " + list(withNeither));
    }
    if (weights != null) {
      parts.add(weights.startsWith("weights") ? weights : "weights: " + weights);
    }
    return String.join("; ", parts);
  }

  private static String list(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}

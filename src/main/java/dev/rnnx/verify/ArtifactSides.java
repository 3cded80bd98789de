package dev.rnnx.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, for {@code verify --onnx F --saved-model D}, whether the two artifacts disagree and which
 * backends side with which ({@link ArtifactOpinions}). The question arises when every SavedModel
 * backend that ran fails against the reference on the ONNX file ({@code ref-onnx}, or the first ONNX backend when
 * the evaluator cannot run the file): the cases are then run once
 * more with the first SavedModel backend as the reference, and each backend that passes every
 * comparison there sides with the SavedModel.
 */
final class ArtifactSides {

  private ArtifactSides() {}

  /**
   * The opinions, or {@code null} when the question does not arise (no SavedModel backend failed,
   * one passed, or the reference does not run the ONNX file).
   *
   * @param weights the comparison of the two artifacts' weights ({@link ArtifactWeights}), or null
   */
  static ArtifactOpinions judge(BackendSet set, ParityResult parity, List<ParityCase> cases, ParityCriteria criteria,
      Path onnx, Path savedModel, WeightComparison weights) {
    BackendKind referenceKind = BackendKind.find(set.reference().name());
    if (referenceKind == null || !referenceKind.runsOnnx()) {
      return null;
    }
    List<Backend> savedModelRunners = set.candidates().stream().filter(b -> runsSavedModel(b.name())
        && !parity.backendErrors().containsKey(b.name())).toList();
    List<String> failing = parity.failingCandidates();
    if (savedModelRunners.isEmpty() || !savedModelRunners.stream().allMatch(b -> failing.contains(b.name()))) {
      return null;
    }
    Backend truth = savedModelRunners.get(0);
    List<Backend> others = new ArrayList<>();
    others.add(set.reference());
    set.candidates().stream().filter(b -> b != truth && !parity.backendErrors().containsKey(b.name())).forEach(others::add);
    ParityResult second = ParityVerifier.verify(truth, others, cases, criteria);
    List<String> withOnnx = new ArrayList<>(List.of(set.reference().name()));
    List<String> withSavedModel = new ArrayList<>(List.of(truth.name()));
    List<String> neither = new ArrayList<>();
    for (Backend b : others) {
      if (b == set.reference()) {
        continue;
      }
      boolean onnxSide = agrees(parity, b.name());
      boolean smSide = agrees(second, b.name());
      if (onnxSide) {
        withOnnx.add(b.name());
      }
      if (smSide) {
        withSavedModel.add(b.name());
      }
      if (!onnxSide && !smSide) {
        neither.add(b.name());
      }
    }
    double err = parity.comparisons().stream().filter(c -> c.candidate().equals(truth.name()))
        .mapToDouble(ElementwiseComparison::maxAbsErr).max().orElse(Double.NaN);
    return new ArtifactOpinions(true, String.valueOf(onnx), String.valueOf(savedModel), withOnnx, withSavedModel, neither,
        err, weights == null ? null : weights.describe());
  }

  private static boolean agrees(ParityResult p, String candidate) {
    List<ElementwiseComparison> cs = p.comparisons().stream().filter(c -> c.candidate().equals(candidate)).toList();
    return !cs.isEmpty() && !p.backendErrors().containsKey(candidate) && cs.stream().allMatch(ElementwiseComparison::passed);
  }

  private static boolean runsSavedModel(String name) {
    BackendKind k = BackendKind.find(name);
    return k != null && k.runsSavedModel();
  }
}

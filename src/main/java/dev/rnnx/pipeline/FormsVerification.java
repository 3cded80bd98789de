package dev.rnnx.pipeline;

import dev.rnnx.djl.DjlModel;
import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Recipe;
import dev.rnnx.tf.TfForm;
import dev.rnnx.tf.TfForms;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.FormBackend;
import dev.rnnx.verify.ParityCase;
import dev.rnnx.verify.ParityInputs;
import dev.rnnx.verify.ParityResult;
import dev.rnnx.verify.ParityVerifier;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parity of every exported form of a seq2seq or word2vec run: the same seeded inputs through
 * {@code ref} (the double-precision reference form), {@code tf-java} (the live TF session),
 * {@code djl-ort} ({@code <form>.onnx}) and {@code djl-tf} ({@code saved_model/<form>/}), compared
 * under the recipe's tolerances. Integer outputs (tokens, indices) come back as exact floats, so
 * any difference in them exceeds every tolerance.
 */
public final class FormsVerification {

  private FormsVerification() {}

  /** Verifies every form of the run in {@code dir}; parity by form name. */
  public static Map<String, ParityResult> verify(Recipe recipe, Weights weights, Path dir) {
    Map<String, ReferenceForm> reference = ReferenceForms.of(recipe.model(), weights);
    Map<String, List<ParityCase>> grid = ParityInputs.standardForms(recipe.model(), recipe.trainingLength(), recipe.seed());
    Map<String, ParityResult> results = new LinkedHashMap<>();
    try (TfForms tf = TfForms.build(recipe.model(), weights)) {
      for (ModelForm form : recipe.model().forms()) {
        ReferenceForm ref = reference.get(form.name());
        TfForm live = tf.form(form.name());
        List<Backend> candidates = new ArrayList<>();
        try {
          candidates.add(new FormBackend("tf-java", live::run, null));
          DjlModel ort = DjlModel.loadOnnx(dir.resolve(form.name() + ".onnx"));
          candidates.add(new FormBackend("djl-ort", ort::run, ort));
          DjlModel savedModel = DjlModel.loadSavedModel(dir.resolve("saved_model").resolve(form.name()));
          candidates.add(new FormBackend("djl-tf", savedModel::run, savedModel));
          results.put(form.name(), ParityVerifier.verify(new FormBackend("ref", ref::run, null), candidates,
              grid.get(form.name()), recipe.tolerances()));
        } finally {
          candidates.forEach(Backend::close);
        }
      }
    }
    return results;
  }
}

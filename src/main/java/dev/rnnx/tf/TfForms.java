package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every form of a model ({@link ModelSpec#forms()}) as live TensorFlow sessions, for any model
 * kind: a Sequential model's {@code model} ({@link TfServingModel}); a seq2seq model's
 * {@code training}, {@code encoder}, {@code decoder_step} and {@code greedy_decoder}; word2vec's
 * {@code embedding} and {@code most_similar}.
 *
 * <pre>{@code
 * try (TfForms forms = TfForms.build(recipe.model(), trained.weights())) {
 *   Map<String, FloatTensor> out = forms.form("encoder").run(Map.of("source", ids, "source_lengths", lengths));
 *   forms.exportSavedModels(runDir.resolve("saved_model"), provenance);   // saved_model/<form>/
 * }
 * }</pre>
 */
public final class TfForms implements AutoCloseable {

  private final ModelSpec model;
  private final Map<String, TfForm> forms;

  private TfForms(ModelSpec model, Map<String, TfForm> forms) {
    this.model = model;
    this.forms = forms;
  }

  /**
   * Builds every form of a model with its weights.
   *
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public static TfForms build(ModelSpec model, Weights weights) {
    weights.checkFits(model);
    Map<String, TfForm> forms = new LinkedHashMap<>();
    if (model instanceof Sequential s) {
      TfServingModel serving = TfServingModel.build(s, weights);
      forms.put(serving.form().name(), serving);
    } else if (model instanceof Seq2Seq s) {
      forms.putAll(Seq2SeqForms.build(s, weights));
    } else if (model instanceof dev.rnnx.spec.Graph g) {
      forms.putAll(TfGraphModel.build(g, weights));
    } else {
      forms.putAll(Word2VecForms.build((Word2Vec) model, weights));
    }
    return new TfForms(model, forms);
  }

  /** The model. */
  public ModelSpec model() {
    return model;
  }

  /** The forms' names, in {@link ModelSpec#forms()} order. */
  public List<String> names() {
    return List.copyOf(forms.keySet());
  }

  /**
   * One form.
   *
   * @throws IllegalArgumentException naming the forms there are
   */
  public TfForm form(String name) {
    TfForm form = forms.get(name);
    if (form == null) {
      throw new IllegalArgumentException("model '" + model.name() + "' has no TensorFlow form '" + name + "', expected one of "
          + names());
    }
    return form;
  }

  /**
   * Writes every form as a SavedModel: a Sequential or graph model's only form into {@code dir} itself,
   * any other model's forms into {@code dir/<form>/}.
   */
  public void exportSavedModels(Path dir, Provenance provenance) throws IOException {
    for (Map.Entry<String, TfForm> e : forms.entrySet()) {
      e.getValue().exportSavedModel(model instanceof Sequential || model instanceof dev.rnnx.spec.Graph ? dir : dir.resolve(e.getKey()),
          provenance);
    }
  }

  /** Closes every form. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (TfForm form : forms.values()) {
      try {
        form.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

}

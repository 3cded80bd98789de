package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Tensor;
import dev.rnnx.verify.Backend;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.weights.Weights;
import java.util.Map;

/**
 * The {@code tf-java} backend: one form of an rnnx model ({@link TfForm}, a sequential model's
 * serving graph included) in a live TensorFlow Java session built from its weights.
 */
public final class TfJavaBackend implements Backend {

  private final TfForms forms;
  private final TfForm form;

  private TfJavaBackend(TfForms forms, TfForm form) {
    this.forms = forms;
    this.form = form;
  }

  /**
   * Builds the model's forms from canonical weights and runs one of them.
   *
   * @throws IllegalArgumentException when the weights do not fit or the model has no such form
   */
  public static TfJavaBackend build(ModelSpec model, Weights weights, String form) {
    TfForms forms = TfForms.build(model, weights);
    try {
      return new TfJavaBackend(forms, forms.form(form));
    } catch (RuntimeException e) {
      forms.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return BackendKind.TF_JAVA.id();
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return form.run(inputs);
  }

  @Override
  public void close() {
    forms.close();
  }
}

package dev.rnnx.verify;

import dev.rnnx.ref.ReferenceForm;
import dev.rnnx.ref.ReferenceForms;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.Map;

/**
 * The {@code ref} backend: the pure-Java double-precision forward of one form, rounded to float32.
 * A sequential model's form keeps its {@link ReferenceModel}, which {@link DivergenceLocator} traces
 * layer by layer.
 */
public final class ReferenceBackend implements Backend {

  /** The backend's report name. */
  public static final String NAME = BackendKind.REF.id();

  private final ReferenceForm form;
  private final ReferenceModel model;

  /** Wraps a sequential model's reference. */
  public ReferenceBackend(ReferenceModel model) {
    this.form = model::forward;
    this.model = model;
  }

  private ReferenceBackend(ReferenceForm form) {
    this.form = form;
    this.model = null;
  }

  /**
   * The reference of one form of a model.
   *
   * @throws IllegalArgumentException when the weights do not fit or there is no such form
   */
  public static ReferenceBackend of(ModelSpec model, Weights weights, String form) {
    if (model instanceof Sequential s) {
      return new ReferenceBackend(new ReferenceModel(s, weights));
    }
    return new ReferenceBackend(ReferenceForms.form(model, weights, form));
  }

  /** The traceable reference model of a sequential model, or {@code null} for another kind's form. */
  public ReferenceModel model() {
    return model;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return model != null ? model.run(inputs) : form.run(inputs);
  }
}

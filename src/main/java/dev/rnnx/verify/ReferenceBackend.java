package dev.rnnx.verify;

import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.Map;

/** The {@code ref} backend: the pure-Java double-precision forward, rounded to float32. */
public final class ReferenceBackend implements Backend {

  /** The backend's report name. */
  public static final String NAME = "ref";

  private final ReferenceModel model;

  /** Wraps a reference model. */
  public ReferenceBackend(ReferenceModel model) {
    this.model = model;
  }

  /** The wrapped model, e.g. for {@link ReferenceModel#trace} when localising a divergence. */
  public ReferenceModel model() {
    return model;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return model.run(inputs);
  }
}

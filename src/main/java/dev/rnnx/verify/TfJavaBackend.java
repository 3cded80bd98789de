package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.tf.TfServingModel;
import dev.rnnx.weights.Weights;
import java.util.Map;

/** The {@code tf-java} backend: the model's serving graph in a live TensorFlow Java session. */
public final class TfJavaBackend implements Backend {

  /** The backend's report name. */
  public static final String NAME = "tf-java";

  private final TfServingModel model;

  private TfJavaBackend(TfServingModel model) {
    this.model = model;
  }

  /** Builds the serving graph from canonical weights. */
  public static TfJavaBackend build(Sequential spec, Weights weights) {
    return new TfJavaBackend(TfServingModel.build(spec, weights));
  }

  /** Wraps a serving model the caller built; closing the backend closes it. */
  public static TfJavaBackend wrap(TfServingModel model) {
    return new TfJavaBackend(model);
  }

  /** The live serving model, e.g. to export it as a SavedModel. */
  public TfServingModel model() {
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

  @Override
  public void close() {
    model.close();
  }
}

package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelInputs;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole model's forward in double precision: the oracle every native backend is compared with.
 * Stateless and thread-safe.
 */
public final class ReferenceModel {

  private final Sequential model;
  private final Weights weights;

  /**
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public ReferenceModel(Sequential model, Weights weights) {
    this.model = model;
    this.weights = weights.checkFits(model);
  }

  /** The model it computes. */
  public Sequential model() {
    return model;
  }

  /** Runs the model on named inputs, in double precision. */
  public Map<String, DoubleTensor> forward(Map<String, ? extends Tensor> inputs) {
    ModelInputs.check(model, inputs);
    DoubleTensor x = DoubleTensor.of((FloatTensor) inputs.get(Sequential.INPUT));
    List<DoubleTensor> outputs = null;
    for (Layer layer : model.layers()) {
      outputs = RefLayers.forward(layer).forward(layer, x, weights);
      x = outputs.get(0);
    }
    Map<String, DoubleTensor> named = new LinkedHashMap<>();
    List<TensorSpec> specs = model.outputs();
    for (int i = 0; i < specs.size(); i++) {
      named.put(specs.get(i).name(), outputs.get(i));
    }
    return named;
  }

  /** Runs the model on named inputs and rounds the outputs to float32. */
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    forward(inputs).forEach((k, v) -> out.put(k, v.toFloat()));
    return out;
  }
}

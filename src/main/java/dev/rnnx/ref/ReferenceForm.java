package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@link dev.rnnx.spec.ModelForm} of a model computed by the reference: named inputs to
 * named outputs, in the order the form declares them. Integer outputs (token ids, indices) are
 * returned as exact integers held in floating tensors. Stateless and thread-safe.
 */
@FunctionalInterface
public interface ReferenceForm {

  /**
   * Computes the outputs in double precision.
   *
   * @throws IllegalArgumentException when the inputs do not fit the form
   */
  Map<String, DoubleTensor> forward(Map<String, ? extends Tensor> inputs);

  /** Computes the outputs and rounds them to float32, for comparison with native backends. */
  default Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    forward(inputs).forEach((k, v) -> out.put(k, v.toFloat()));
    return out;
  }
}

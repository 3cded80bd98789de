package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.SourcedInputs;
import dev.rnnx.spec.Tensor;
import java.util.Map;

/**
 * The task translator of a model served as named tensors ({@link Task#TENSORS}, or any form
 * through {@link RnnxModel#tensors(String)}): the request is the model's inputs, batch axis
 * included, and the answer is its outputs by name.
 */
public final class TensorsTranslator extends TaskTranslator<Map<String, ? extends Tensor>, Map<String, FloatTensor>> {

  TensorsTranslator(TensorTranslator tensors) {
    super(tensors);
  }

  @Override
  public Map<String, Tensor> encode(Map<String, ? extends Tensor> input) {
    if (input == null || input.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Problem.EMPTY, null,
          "no input tensors; expected " + tensors().model().inputNames());
    }
    return SourcedInputs.like(input, input);
  }

  @Override
  public Map<String, FloatTensor> decode(Map<String, ? extends Tensor> input, Map<String, FloatTensor> outputs) {
    return outputs;
  }
}

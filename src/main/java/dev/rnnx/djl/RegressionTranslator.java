package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import java.util.Map;

/**
 * Regression: a sequence in, the model's {@code output} for it out, without the batch axis
 * ({@code [units]} for a per-sequence head such as sine-lstm's next value, {@code [time, units]} for
 * a per-step one).
 */
public final class RegressionTranslator extends SequenceTranslator<FloatTensor> {

  RegressionTranslator(TensorTranslator tensors, Sequential spec) {
    super(tensors, spec);
  }

  @Override
  public FloatTensor decode(Sequence input, Map<String, FloatTensor> outputs) {
    return output(outputs);
  }
}

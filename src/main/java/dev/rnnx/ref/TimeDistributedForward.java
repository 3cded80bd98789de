package dev.rnnx.ref;

import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/** The wrapped dense layer on every time step, with the wrapper's parameters. */
final class TimeDistributedForward implements RefForward<TimeDistributed> {

  @Override
  public List<DoubleTensor> forward(TimeDistributed layer, RefInput input, Weights weights, TraceSink sink) {
    if (input.x().rank() != 3) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects a sequence input (batch, time, features), got "
          + Arrays.toString(input.x().shape()));
    }
    return List.of(DenseForward.apply(layer.asDense(), input.x(), weights));
  }
}

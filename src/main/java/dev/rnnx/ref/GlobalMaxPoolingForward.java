package dev.rnnx.ref;

import dev.rnnx.spec.GlobalMaxPooling;
import dev.rnnx.weights.Weights;
import java.util.List;

/** The forward of {@link GlobalMaxPooling}: the maximum of steps {@code 0 … L−1} ({@code L = T} without lengths). */
final class GlobalMaxPoolingForward implements RefForward<GlobalMaxPooling> {

  @Override
  public List<DoubleTensor> forward(GlobalMaxPooling layer, RefInput input, Weights weights, TraceSink sink) {
    return List.of(GlobalAveragePoolingForward.pool(layer.name(), input, true));
  }
}

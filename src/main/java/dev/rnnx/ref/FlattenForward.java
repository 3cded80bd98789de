package dev.rnnx.ref;

import dev.rnnx.spec.Flatten;
import dev.rnnx.weights.Weights;
import java.util.List;

/** The forward of {@link Flatten}: {@code [B, steps, d] → [B, steps·d]}, step-major; another length is refused. */
final class FlattenForward implements RefForward<Flatten> {

  @Override
  public List<DoubleTensor> forward(Flatten layer, RefInput input, Weights weights, TraceSink sink) {
    RecurrentRun.checkInput(layer.name(), input);
    DoubleTensor x = input.x();
    if (x.dim(1) != layer.steps()) {
      throw new IllegalArgumentException(layer.wrongLength(x.dim(1)));
    }
    return List.of(new DoubleTensor(new long[] {x.dim(0), (long) x.dim(1) * x.dim(2)}, x.data().clone()));
  }
}

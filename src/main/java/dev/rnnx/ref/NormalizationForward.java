package dev.rnnx.ref;

import dev.rnnx.spec.Normalization;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/**
 * The forward of {@link Normalization} in float64 on the last axis of any rank ≥ 2:
 * {@link Normalization#apply} on every value.
 */
final class NormalizationForward implements RefForward<Normalization> {

  @Override
  public List<DoubleTensor> forward(Normalization layer, RefInput input, Weights weights, TraceSink sink) {
    DoubleTensor x = input.x();
    if (x.rank() < 2) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects an input of rank >= 2, got "
          + Arrays.toString(x.shape()));
    }
    layer.requireFitted();
    int d = x.dim(-1);
    if (d != layer.mean().size()) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' holds " + layer.mean().size() + " feature(s), got an input "
          + Arrays.toString(x.shape()));
    }
    double[] in = x.data();
    double[] y = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      y[i] = layer.apply(i % d, in[i]);
    }
    return List.of(new DoubleTensor(x.shape(), y));
  }
}

package dev.rnnx.ref;

import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/**
 * The forward of {@link LayerNormalization} over the last axis, for inputs of any rank ≥ 2:
 * {@code (x − mean) / sqrt(var + epsilon)} with the biased variance, times {@code gamma} when
 * {@code scale}, plus {@code beta} when {@code center}. Padding steps are normalised like any other.
 */
final class LayerNormalizationForward implements RefForward<LayerNormalization> {

  @Override
  public List<DoubleTensor> forward(LayerNormalization layer, RefInput input, Weights weights, TraceSink sink) {
    DoubleTensor x = input.x();
    if (x.rank() < 2) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects an input of rank >= 2, got "
          + Arrays.toString(x.shape()));
    }
    int d = x.dim(-1);
    double[] gamma = layer.scale() ? RecurrentCell.param(weights, layer.name() + "/gamma", d) : null;
    double[] beta = layer.center() ? RecurrentCell.param(weights, layer.name() + "/beta", d) : null;
    return List.of(new DoubleTensor(x.shape(), RefMath.layerNorm(x.data(), x.size() / d, d, gamma, beta, layer.epsilon())));
  }
}

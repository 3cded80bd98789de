package dev.rnnx.ref;

import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/**
 * The forward of {@link PositionalEncoding}: {@code x · √d} (when {@code scale_input}) plus
 * {@link PositionalEncoding#signal}{@code (t, j, d)}; sequences longer than {@code max_length} are
 * refused. Padding steps get the signal like any other.
 */
final class PositionalEncodingForward implements RefForward<PositionalEncoding> {

  @Override
  public List<DoubleTensor> forward(PositionalEncoding layer, RefInput input, Weights weights, TraceSink sink) {
    DoubleTensor x = input.x();
    if (x.rank() != 3) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects a sequence input (batch, time, features), got "
          + Arrays.toString(x.shape()));
    }
    return List.of(new DoubleTensor(x.shape(), apply(layer.name(), x.data(), x.dim(0), x.dim(1), x.dim(2), layer.maxLength(),
        layer.scaleInput())));
  }

  /**
   * Adds the signal to {@code x [batch, time, d]}, after scaling it by √d when asked.
   *
   * @throws IllegalArgumentException when {@code time > maxLength}
   */
  static double[] apply(String name, double[] x, int batch, int time, int d, int maxLength, boolean scale) {
    if (time > maxLength) {
      throw new IllegalArgumentException("'" + name + "': sequence length " + time + " exceeds max_length " + maxLength);
    }
    double factor = scale ? Math.sqrt(d) : 1.0;
    double[] y = new double[x.length];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < time; t++) {
        int off = (b * time + t) * d;
        for (int j = 0; j < d; j++) {
          y[off + j] = x[off + j] * factor + PositionalEncoding.signal(t, j, d);
        }
      }
    }
    return y;
  }
}

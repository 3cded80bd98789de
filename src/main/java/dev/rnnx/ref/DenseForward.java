package dev.rnnx.ref;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.weights.Weights;
import java.util.List;

/** {@code y = activation(x · kernel + bias)} on the last axis, for inputs of any rank ≥ 2. */
final class DenseForward implements RefForward<Dense> {

  @Override
  public List<DoubleTensor> forward(Dense layer, DoubleTensor input, Weights weights) {
    FloatTensor kernel = weights.get(layer.name() + "/kernel");
    float[] bias = layer.useBias() ? weights.get(layer.name() + "/bias").data() : null;
    int in = input.dim(-1);
    int out = layer.units();
    int rows = input.data().length / in;
    double[] y = new double[rows * out];
    float[] w = kernel.data();
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < out; j++) {
        double s = bias == null ? 0.0 : bias[j];
        for (int k = 0; k < in; k++) {
          s += input.data()[r * in + k] * w[k * out + j];
        }
        y[r * out + j] = layer.activation().apply(s);
      }
    }
    long[] shape = input.shape().clone();
    shape[shape.length - 1] = out;
    return List.of(new DoubleTensor(shape, y));
  }
}

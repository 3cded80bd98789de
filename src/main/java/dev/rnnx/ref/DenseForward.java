package dev.rnnx.ref;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/**
 * {@code y = activation(x · kernel + bias)} on the last axis, for inputs of any rank ≥ 2; softmax
 * normalises each row of the last axis.
 */
final class DenseForward implements RefForward<Dense> {

  @Override
  public List<DoubleTensor> forward(Dense layer, RefInput input, Weights weights, TraceSink sink) {
    return List.of(apply(layer, input.x(), weights));
  }

  /** The dense map of one layer on {@code x}. */
  static DoubleTensor apply(Dense layer, DoubleTensor x, Weights weights) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects an input of rank >= 2, got "
          + Arrays.toString(x.shape()));
    }
    int in = x.dim(-1);
    int out = layer.units();
    double[] w = RecurrentCell.param(weights, layer.name() + "/kernel", in * out);
    double[] bias = layer.useBias() ? RecurrentCell.param(weights, layer.name() + "/bias", out) : new double[out];
    Activation activation = layer.activation();
    int rows = x.size() / in;
    double[] y = new double[rows * out];
    double[] xs = x.data();
    for (int r = 0; r < rows; r++) {
      int yOff = r * out;
      System.arraycopy(bias, 0, y, yOff, out);
      for (int k = 0; k < in; k++) {
        double xk = xs[r * in + k];
        int base = k * out;
        for (int j = 0; j < out; j++) {
          y[yOff + j] += xk * w[base + j];
        }
      }
      if (activation == Activation.SOFTMAX) {
        Activation.softmaxInPlace(y, yOff, out);
      } else if (activation != Activation.LINEAR) {
        for (int j = 0; j < out; j++) {
          y[yOff + j] = activation.apply(y[yOff + j]);
        }
      }
    }
    long[] shape = x.shape().clone();
    shape[shape.length - 1] = out;
    return new DoubleTensor(shape, y);
  }
}

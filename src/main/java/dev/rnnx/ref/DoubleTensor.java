package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;

/**
 * A row-major double-precision tensor, the reference forward's working type.
 *
 * @param shape dimensions
 * @param data values, {@code product(shape)} of them
 */
public record DoubleTensor(long[] shape, double[] data) {

  /** Widens a float tensor. */
  public static DoubleTensor of(FloatTensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.data()[i];
    }
    return new DoubleTensor(t.shape(), d);
  }

  /** Rounds to float32, for comparison with native backends. */
  public FloatTensor toFloat() {
    float[] f = new float[data.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) data[i];
    }
    return new FloatTensor(shape, f);
  }

  /** One dimension; negative indices count from the end. */
  public int dim(int axis) {
    return (int) shape[axis < 0 ? shape.length + axis : axis];
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }
}

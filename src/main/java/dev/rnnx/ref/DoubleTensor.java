package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import java.util.Arrays;

/**
 * A row-major double-precision tensor, the reference forward's working type. Immutable by
 * convention: callers must not modify {@link #data()}.
 *
 * @param shape dimensions
 * @param data values, {@code product(shape)} of them
 */
public record DoubleTensor(long[] shape, double[] data) {

  /** Checks that the data fills the shape. */
  public DoubleTensor {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** Widens a float tensor. */
  public static DoubleTensor of(FloatTensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.data()[i];
    }
    return new DoubleTensor(t.shape(), d);
  }

  /** Integers (token ids) as doubles; exact up to 2^53. */
  public static DoubleTensor of(LongTensor t) {
    double[] d = new double[t.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = t.data()[i];
    }
    return new DoubleTensor(t.shape(), d);
  }

  /** A tensor of zeros. */
  public static DoubleTensor zeros(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return new DoubleTensor(shape.clone(), new double[Math.toIntExact(n)]);
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

  /** The number of elements. */
  public int size() {
    return data.length;
  }

  /**
   * One element by its full index, e.g. {@code at(b, t, j)}.
   *
   * @throws IllegalArgumentException when the index does not fit the shape
   */
  public double at(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
          + " entries, tensor " + Arrays.toString(shape) + " has rank " + shape.length);
    }
    int flat = 0;
    for (int i = 0; i < index.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IllegalArgumentException("index " + Arrays.toString(index) + " is outside shape " + Arrays.toString(shape));
      }
      flat = flat * (int) shape[i] + index[i];
    }
    return data[flat];
  }

  @Override
  public String toString() {
    return "DoubleTensor" + Arrays.toString(shape);
  }
}

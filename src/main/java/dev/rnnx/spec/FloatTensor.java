package dev.rnnx.spec;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order: the currency between data generators, backends and
 * comparators. Immutable by convention: callers must not modify {@link #data()}.
 *
 * @param shape dimensions, all known
 * @param data values, {@code product(shape)} of them
 */
public record FloatTensor(long[] shape, float[] data) {

  /** Validates that the data fills the shape. */
  public FloatTensor {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "tensor shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
  }

  /** A tensor from a shape and values. */
  public static FloatTensor of(float[] data, long... shape) {
    return new FloatTensor(shape, data);
  }

  /** A tensor of zeros. */
  public static FloatTensor zeros(long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return new FloatTensor(shape, new float[Math.toIntExact(n)]);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** One dimension; negative indices count from the end. */
  public long dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  /** The number of elements. */
  public int size() {
    return data.length;
  }

  /** The shape as text, e.g. {@code [7, 25, 1]}. */
  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}

package dev.rnnx.spec;

import java.util.Arrays;

/**
 * A dense row-major tensor handed to or returned by a backend: floats ({@link FloatTensor}) or
 * integers ({@link LongTensor}, for token ids and sequence lengths).
 */
public sealed interface Tensor permits FloatTensor, LongTensor {

  /** Dimensions, all known. */
  long[] shape();

  /** The number of elements. */
  int size();

  /** The element type this tensor naturally maps to. */
  DType dtype();

  /** The number of dimensions. */
  default int rank() {
    return shape().length;
  }

  /** One dimension; negative indices count from the end. */
  default long dim(int axis) {
    long[] s = shape();
    return s[axis < 0 ? s.length + axis : axis];
  }

  /** The shape as text, e.g. {@code [7, 25, 1]}. */
  default String shapeString() {
    return Arrays.toString(shape());
  }

  /** Checks a shape against a data length and returns the element count. */
  static long elements(long[] shape, int dataLength) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      n *= d;
    }
    if (n != dataLength) {
      throw new IllegalArgumentException("tensor shape " + Arrays.toString(shape) + " needs " + n + " values, got " + dataLength);
    }
    return n;
  }
}

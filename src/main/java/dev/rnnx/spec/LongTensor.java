package dev.rnnx.spec;

import java.util.Arrays;

/**
 * A dense integer tensor in row-major order: token ids and sequence lengths. Backends narrow it to
 * the model's declared type ({@link DType#INT32} or {@link DType#INT64}). Immutable by convention.
 *
 * @param shape dimensions, all known
 * @param data values, {@code product(shape)} of them
 */
public record LongTensor(long[] shape, long[] data) implements Tensor {

  /** Validates that the data fills the shape. */
  public LongTensor {
    shape = shape.clone();
    Tensor.elements(shape, data.length);
  }

  /** A tensor from a shape and values. */
  public static LongTensor of(long[] data, long... shape) {
    return new LongTensor(shape, data);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public int size() {
    return data.length;
  }

  @Override
  public DType dtype() {
    return DType.INT64;
  }

  /** The values as ints, refusing any outside the int range. */
  public int[] toIntArray() {
    int[] out = new int[data.length];
    for (int i = 0; i < data.length; i++) {
      if (data[i] < Integer.MIN_VALUE || data[i] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("value " + data[i] + " at flat index " + i + " does not fit a 32-bit integer");
      }
      out[i] = (int) data[i];
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LongTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "LongTensor" + Arrays.toString(shape);
  }
}

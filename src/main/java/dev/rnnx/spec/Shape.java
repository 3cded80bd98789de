package dev.rnnx.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A tensor shape whose dimensions may be unknown ({@link #DYNAMIC}), such as the batch and time
 * axes of a recurrent model's input.
 *
 * @param dims the dimensions; {@link #DYNAMIC} marks one that is only known at run time
 */
public record Shape(int[] dims) {

  /** Marks a dimension that is only known at run time. */
  public static final int DYNAMIC = -1;

  /** Validates and copies the dimensions. */
  public Shape {
    dims = dims.clone();
    for (int d : dims) {
      if (d < DYNAMIC || d == 0) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(dims) + " has dimension " + d + ", expected a positive size or -1 (dynamic)");
      }
    }
  }

  /** Shorthand constructor. */
  public static Shape of(int... dims) {
    return new Shape(dims);
  }

  /** The number of dimensions. */
  public int rank() {
    return dims.length;
  }

  /** One dimension; negative indices count from the end. */
  public int dim(int axis) {
    return dims[axis < 0 ? dims.length + axis : axis];
  }

  /** A copy with the last dimension replaced. */
  public Shape withLast(int size) {
    int[] copy = dims.clone();
    copy[copy.length - 1] = size;
    return new Shape(copy);
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  /** Keras-style text, e.g. {@code (None, 25, 20)}. */
  @Override
  public String toString() {
    return Arrays.stream(dims)
        .mapToObj(d -> d == DYNAMIC ? "None" : Integer.toString(d))
        .collect(Collectors.joining(", ", "(", dims.length == 1 ? ",)" : ")"));
  }
}

package dev.rnnx.spec;

import java.util.Arrays;

/**
 * One trainable tensor of a layer, in rnnx's canonical (Keras) layout.
 *
 * @param name the full parameter name, {@code <layer>/<role>}, e.g. {@code lstm/recurrent_kernel}
 * @param shape its dimensions, all known
 */
public record ParameterSpec(String name, int[] shape) {

  /** Copies the shape. */
  public ParameterSpec {
    shape = shape.clone();
  }

  /** The number of scalars it holds. */
  public long size() {
    long n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}

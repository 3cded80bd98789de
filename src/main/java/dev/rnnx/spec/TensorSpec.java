package dev.rnnx.spec;

/**
 * A named model input or output, its shape and element type.
 *
 * @param name the name every backend uses for it
 * @param shape its shape, with dynamic batch and time axes
 * @param dtype its element type
 */
public record TensorSpec(String name, Shape shape, DType dtype) {

  /** A float32 tensor. */
  public TensorSpec(String name, Shape shape) {
    this(name, shape, DType.FLOAT32);
  }
}

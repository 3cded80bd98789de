package dev.rnnx.spec;

/**
 * A named model input or output and its shape.
 *
 * @param name the name every backend uses for it
 * @param shape its shape, with dynamic batch and time axes
 */
public record TensorSpec(String name, Shape shape) {}

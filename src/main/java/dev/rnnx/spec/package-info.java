/**
 * Model definitions: immutable layer records, the {@link dev.rnnx.spec.Sequential} model, shapes,
 * parameter naming and the YAML recipe format.
 *
 * <p>Nothing in this package touches native code. Every other package reads a model through these
 * records, so a layer is described once, here, and its {@code tf}, {@code onnx} and {@code ref}
 * faces follow from the record.
 */
package dev.rnnx.spec;

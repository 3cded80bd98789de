/**
 * Models made elsewhere: Keras files ({@code .h5}, {@code .keras}, {@code .weights.h5} with a config)
 * and ONNX graphs, lifted into {@code spec} records and canonical {@code weights}, so that
 * everything rnnx does with its own models (export, verify, predict, serve, fine-tune) follows.
 * {@link dev.rnnx.imports.SavedModelLift} lifts a SavedModel's weights (read in pure Java by
 * {@link dev.rnnx.imports.SavedModelTensors}) for {@code verify}'s comparison of two artifacts.
 */
package dev.rnnx.imports;

/**
 * The TensorFlow Java face of rnnx: one graph builder per layer kind ({@link dev.rnnx.tf.TfLayers}),
 * the trainer ({@link dev.rnnx.tf.TfTrainer}) and the live serving model with its SavedModel export
 * ({@link dev.rnnx.tf.TfServingModel}).
 *
 * <p>Every graph is built directly on the canonical (Keras) parameter layout, so trained values
 * are read back into {@link dev.rnnx.weights.Weights} without any transform.
 *
 * <p>Two forwards exist per layer because of what TF Java 1.1.0 can differentiate: training graphs
 * are unrolled over the recipe's fixed training length (gradients through {@code whileLoop} are
 * unreliable), while serving graphs run the recurrence in a forward-only {@code Graph.whileLoop}
 * and so accept any batch size and any sequence length. Both call the same cell step, so they
 * compute the same function.
 *
 * <p>This package is the only one besides {@code djl} that loads TensorFlow.
 */
package dev.rnnx.tf;

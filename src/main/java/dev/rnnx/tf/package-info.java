/**
 * The TensorFlow Java face of rnnx: one graph builder per layer kind ({@link dev.rnnx.tf.TfLayers}:
 * dense, simple_rnn, lstm, gru, bidirectional, time_distributed, embedding), the trainer
 * ({@link dev.rnnx.tf.TfTrainer} with {@link dev.rnnx.tf.TrainingOptions}) and the live serving
 * model with its SavedModel export ({@link dev.rnnx.tf.TfServingModel}).
 *
 * <p>Every graph is built directly on the canonical (Keras) parameter layout, so trained values
 * are read back into {@link dev.rnnx.weights.Weights} without any transform.
 *
 * <p>Two forwards exist per layer because of what TF Java 1.1.0 can differentiate: training graphs
 * are unrolled over the recipe's fixed training length (gradients through {@code whileLoop} are
 * unreliable), while serving graphs run each recurrence in a forward-only {@code Graph.whileLoop}
 * and so accept any batch size and any sequence length. Both call the same cell step
 * ({@code Cell}) and the same masking ({@code Recurrence}), so they compute the same function.
 *
 * <p>Facts about TF Java 1.1.0 this package relies on, each pinned by a test:
 *
 * <ul>
 *   <li>C++ gradients exist for ReverseSequence (used for {@code go_backwards} with lengths),
 *       GatherV2 (embeddings), Select, AddN, BiasAdd, Split, Pack/Unpack, Softplus, Softsign, Elu,
 *       ClipByValue, L2Loss, Log1p; none for EnsureShape (serving only).
 *   <li>LogSoftmax's C++ gradient sums over axis 1, so it is wrong on rank-3 values; it is applied
 *       through a {@code [B·T, K]} view. Softmax's is right at any rank.
 *   <li>{@code Ops.select} builds SelectV2, which broadcasts a rank-1 condition against the last
 *       axis; the original Select (one condition per row) is built by hand.
 *   <li>The C++ gradients of Add, Sub and Mul add Shape/BroadcastGradientArgs/Sum/Reshape
 *       bookkeeping that these sessions mostly do not fold; AddN and BiasAdd have none. Using them
 *       cut a GRU training step from 860 to 366 executed ops.
 * </ul>
 *
 * <p>This package is the only one besides {@code djl} that loads TensorFlow.
 */
package dev.rnnx.tf;

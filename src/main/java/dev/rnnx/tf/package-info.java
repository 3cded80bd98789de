/**
 * The TensorFlow Java face of rnnx: one graph builder per layer kind ({@link dev.rnnx.tf.TfLayers}:
 * dense, simple_rnn, lstm, gru, bidirectional, time_distributed, embedding, layer_normalization,
 * positional_encoding, attention, multi_head_attention, transformer_encoder,
 * global_average_pooling), one trainer for every model kind ({@link dev.rnnx.tf.Trainer}: one
 * graph, variable, optimiser, checkpoint and epoch-loop core with a plug-in per kind for the losses,
 * teacher forcing and negative sampling, run as {@link dev.rnnx.tf.TrainingOptions} say), and the
 * model forms as live sessions with their SavedModel export ({@link dev.rnnx.tf.TfForms}:
 * {@link dev.rnnx.tf.TfServingModel} for a Sequential model; seq2seq's training, encoder, decoder
 * step and greedy decoder; word2vec's embedding and most_similar). {@code Trainer.train} and
 * {@code TfForms.build} are the entry points for every model kind.
 *
 * <p>Every graph is built directly on the canonical (Keras) parameter layout, so trained values
 * are read back into {@link dev.rnnx.weights.Weights} without any transform.
 *
 * <p>Two forwards exist per recurrent layer because of what TF Java 1.1.0 can differentiate:
 * training graphs are unrolled over the recipe's fixed training length (gradients through
 * {@code whileLoop} are unreliable), while serving graphs run each recurrence in a forward-only
 * {@code Graph.whileLoop} and so accept any batch size and any sequence length. Both call the same
 * cell step ({@code Cell}) and the same masking ({@code Recurrence}), so they compute the same
 * function. The attention family has no recurrence: one function per layer serves both forms
 * ({@code AttentionOps}). The seq2seq RNN forms unroll too: they pad to the model's maximum
 * lengths (which masking and causality make harmless) and slice back.
 *
 * <p>Facts about TF Java 1.1.0 this package relies on, each pinned by a test:
 *
 * <ul>
 *   <li>C++ gradients exist for ReverseSequence (used for {@code go_backwards} with lengths),
 *       GatherV2 (embeddings), Select, AddN, BiasAdd, Split, SplitV, Pack/Unpack, Softplus,
 *       Softsign, Elu, ClipByValue, L2Loss, Log1p, and for what attention needs: BatchMatMulV3
 *       (what {@code tf.train.batchMatMul} builds; BatchMatMul and BatchMatMulV2 have them too),
 *       Softmax at rank 3 and 4, Mean, Square, Rsqrt, Sqrt, Transpose, Reshape, Tile, Slice,
 *       Squeeze, ExpandDims, broadcasting Add/Sub/Mul/RealDiv ({@code GradientCheckTest},
 *       {@code Seq2SeqGradientTest}); none for EnsureShape (serving only) or
 *       SparseSoftmaxCrossEntropyWithLogits (targets go through OneHot instead).
 *   <li>LogSoftmax's C++ gradient sums over axis 1, so it is wrong on rank-3 values; it is applied
 *       through a {@code [B·T, K]} view. Softmax's is right at any rank.
 *   <li>{@code Ops.select} builds SelectV2, which broadcasts a rank-1 condition against the last
 *       axis; the original Select (one condition per row) is built by hand.
 *   <li>The C++ gradients of Add, Sub and Mul add Shape/BroadcastGradientArgs/Sum/Reshape
 *       bookkeeping that these sessions mostly do not fold; AddN and BiasAdd have none. Using them
 *       cut a GRU training step from 860 to 366 executed ops.
 *   <li>A masked attention key gets the score bias −1e9: float32's {@code exp(−1e9 − max)} is
 *       exactly 0, so padding never changes a valid step's output, to the bit
 *       ({@code AttentionParityTest}).
 *   <li>A session whose graph contains TensorFlow-framework optimiser slots cannot be initialised
 *       with Grappler's meta-optimiser disabled ("uninitialized value" from the slot initialisers);
 *       and {@code Graph.close()} waits for every session of the graph, so a failed constructor
 *       must close its session first, or it hangs.
 *   <li>Op names are unique per graph: a form whose output shares an input's name (a decoder
 *       step's {@code state_h}) gets a renamed output op; the signature keeps the form's names,
 *       and sessions feed and fetch by operand, not by name.
 *   <li>A {@code whileLoop} with a growing loop variable (the greedy decoder's tokens) and every
 *       parameter passed as a loop variable exports, reloads and runs as a SavedModel.
 * </ul>
 *
 * <p>This package is the only one besides {@code djl} that loads TensorFlow.
 */
package dev.rnnx.tf;

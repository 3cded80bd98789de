/**
 * Decoding: greedy and beam search over a {@link dev.rnnx.decode.Decoder}, a decoder-step
 * function (state + token in, next-token log-probabilities + state out) for one source sequence.
 *
 * <p>The search algorithms know nothing of how a step is computed, so the pure-Java reference
 * ({@code ref}), the exported forms served by DJL ({@code djl}) and the pipeline's checks search
 * with exactly the same code and can be compared hypothesis by hypothesis. {@link
 * dev.rnnx.decode.FormDecoder} adapts any backend's {@code decoder_step} form (named tensors in
 * and out) to a decoder; {@code ref} implements one directly over its double-precision cells.
 *
 * <p>This package imports only {@code spec}.
 */
package dev.rnnx.decode;

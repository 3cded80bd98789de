package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.concurrent.CompletableFuture;

/**
 * How one checked chunk of one streaming session runs: the chunk with its steps and the session's
 * states (flat, {@link StreamStates}) in; the chunk's output and the new states out. On {@link
 * RnnxModel} a {@link StreamBatcher} (the chunks of concurrent sessions in one engine call); over a
 * plain form function, that function once per chunk.
 */
interface StreamStep extends AutoCloseable {

  /**
   * A chunk's result.
   *
   * @param output the chunk's output, batch 1
   * @param states the states after the chunk's last step, a new flat array
   */
  record Result(FloatTensor output, float[] states) {}

  /**
   * Runs a chunk; the future completes with its result.
   *
   * @param input the chunk, batch 1: {@code [1, steps, features]} or ids {@code [1, steps]}
   * @param states the states before it (read, never written)
   */
  CompletableFuture<Result> run(Tensor input, int steps, float[] states);

  /** What the step's batcher has done; {@link BatchingStats#NONE} for a plain function. */
  default BatchingStats stats() {
    return BatchingStats.NONE;
  }

  /** Frees what the step holds (the form's runner). */
  @Override
  default void close() {}
}

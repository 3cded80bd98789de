package dev.rnnx.djl;

import java.time.Duration;

/**
 * Dynamic batching: concurrent requests to one model form are merged into one engine call of at
 * most {@code maxBatchSize} rows, waiting at most {@code maxDelay} after the first of them arrived
 * for others to join (0: no waiting, a batch is what queued while the workers were busy); {@code workers} engine calls run at once, each on its own DJL predictor.
 * While every worker is busy, requests queue and the next batch takes all that fit, so batches grow
 * with the load and a lone request waits at most {@code maxDelay}.
 *
 * @param maxBatchSize the most rows in one engine call, at least 1
 * @param maxDelay the longest a request waits for others, from 0 to 1 s
 * @param workers engine calls in flight at once, at least 1
 */
public record BatchingOptions(int maxBatchSize, Duration maxDelay, int workers) {

  /**
   * rnnx's defaults, measured on a 2-core machine (docs/SERVING.md): batches of up to 32 rows, no
   * wait, two workers. Without a wait a batch takes whatever queued while the workers were busy:
   * a lone request runs at once, and under load batches grow by themselves. A wait only paid off
   * when it filled batches faster than the workers freed up, which closed-loop callers (each
   * waiting for its answer) never do: with 16 such callers a 2 ms wait halved throughput on a small
   * LSTM and gained nothing on a large one.
   */
  public static final BatchingOptions DEFAULTS = new BatchingOptions(32, Duration.ZERO, 2);

  /** Validates the options. */
  public BatchingOptions {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size is " + maxBatchSize + ", expected at least 1");
    }
    if (maxDelay == null || maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("max delay is " + maxDelay + ", expected 0 … 1 s");
    }
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("workers is " + workers + ", expected 1 … 64");
    }
  }

  /** Batches of up to {@code maxBatchSize} rows, waiting up to {@code maxDelay}, with the default workers. */
  public static BatchingOptions of(int maxBatchSize, Duration maxDelay) {
    return new BatchingOptions(maxBatchSize, maxDelay, DEFAULTS.workers());
  }
}

package dev.rnnx.djl;

/**
 * What a dynamic batcher has done since the model loaded.
 *
 * @param requests requests answered or failed
 * @param batches engine calls made
 * @param rows rows sent in all batches
 * @param largestBatch the most rows in one engine call
 */
public record BatchingStats(long requests, long batches, long rows, long largestBatch) {

  /** No batching. */
  public static final BatchingStats NONE = new BatchingStats(0, 0, 0, 0);

  /** Mean rows per engine call; 0 before the first. */
  public double meanBatch() {
    return batches == 0 ? 0 : (double) rows / batches;
  }
}

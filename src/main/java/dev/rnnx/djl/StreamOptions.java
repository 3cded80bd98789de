package dev.rnnx.djl;

import java.time.Duration;

/**
 * Bounds on the streaming sessions of one model ({@link RnnxModel#openStream()}): how many may be
 * open at once, how long one may stay idle before it expires, and how many bytes of recurrent state
 * they may hold together. A session past either bound is refused at once, never queued.
 *
 * @param maxSessions the most sessions open at once, 1 … 1,000,000
 * @param idleTimeout how long a session may go without a call before it expires, 1 ms … 1 day
 * @param maxStateBytes the most bytes of state (float32 states of every recurrent layer) all open
 *     sessions hold together, at least 1
 */
public record StreamOptions(int maxSessions, Duration idleTimeout, long maxStateBytes) {

  /** rnnx's defaults: 10,000 sessions, 5 minutes idle, 256 MiB of state. */
  public static final StreamOptions DEFAULTS = new StreamOptions(10_000, Duration.ofMinutes(5), 256L << 20);

  /** Validates the bounds. */
  public StreamOptions {
    if (maxSessions < 1 || maxSessions > 1_000_000) {
      throw new IllegalArgumentException("max sessions is " + maxSessions + ", expected 1 … 1000000");
    }
    if (idleTimeout == null || idleTimeout.compareTo(Duration.ofMillis(1)) < 0 || idleTimeout.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("idle timeout is " + idleTimeout + ", expected 1 ms … 1 day");
    }
    if (maxStateBytes < 1) {
      throw new IllegalArgumentException("max state bytes is " + maxStateBytes + ", expected at least 1");
    }
  }

  /** These bounds with another session limit. */
  public StreamOptions withMaxSessions(int n) {
    return new StreamOptions(n, idleTimeout, maxStateBytes);
  }

  /** These bounds with another idle timeout. */
  public StreamOptions withIdleTimeout(Duration d) {
    return new StreamOptions(maxSessions, d, maxStateBytes);
  }

  /** These bounds with another state-memory limit. */
  public StreamOptions withMaxStateBytes(long bytes) {
    return new StreamOptions(maxSessions, idleTimeout, bytes);
  }
}

package dev.rnnx.serve;

import java.time.Duration;

/**
 * How a {@link ModelServer} listens and what it bounds.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1} (loopback only) or {@code 0.0.0.0}
 * @param port the TCP port; 0 picks a free one ({@link ModelServer#port()} says which)
 * @param maxBodyBytes the largest request body; a larger one is answered 413 from its
 *     {@code Content-Length} (or as soon as a chunked body passes it), never read into memory
 * @param deadline how long a request may take from its arrival to its answer; past it the client
 *     gets 504 at once (the engine call already started still finishes, inside the queue bound)
 * @param maxQueued requests queued or running at once, over all models; one more is answered 503
 *     at once, so memory stays bounded by {@code maxQueued × maxBodyBytes}
 * @param threads request threads for the work that blocks: {@code generate}, {@code most_similar},
 *     and {@code infer} on a model without dynamic batching (each parses a request, waits for its
 *     answer from the predictor pool, and encodes the reply); {@code infer} on a batching model
 *     needs none (the event loop queues it on the batcher)
 * @param drainTimeout how long {@link ModelServer#close()} waits for requests in flight
 */
public record ServerOptions(String host, int port, long maxBodyBytes, Duration deadline, int maxQueued, int threads,
    Duration drainTimeout) {

  /** Loopback, port 8080, 8 MiB bodies, 30 s deadline, 256 queued, 64 threads, 30 s drain. */
  public static final ServerOptions DEFAULTS =
      new ServerOptions("127.0.0.1", 8080, 8L << 20, Duration.ofSeconds(30), 256, 64, Duration.ofSeconds(30));

  /** Validates the options. */
  public ServerOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is empty, expected an address such as 127.0.0.1 or 0.0.0.0");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port is " + port + ", expected 0 … 65535");
    }
    if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("max body is " + maxBodyBytes + " bytes, expected 1 … " + Integer.MAX_VALUE);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline is " + deadline + ", expected a positive duration");
    }
    if (maxQueued < 1 || maxQueued > 1_000_000) {
      throw new IllegalArgumentException("queue is " + maxQueued + ", expected 1 … 1000000");
    }
    if (threads < 1 || threads > 4096) {
      throw new IllegalArgumentException("threads is " + threads + ", expected 1 … 4096");
    }
    if (drainTimeout == null || drainTimeout.isNegative()) {
      throw new IllegalArgumentException("drain timeout is " + drainTimeout + ", expected 0 or more");
    }
  }

  /** The same options on another port. */
  public ServerOptions withPort(int port) {
    return new ServerOptions(host, port, maxBodyBytes, deadline, maxQueued, threads, drainTimeout);
  }

  /** The same options with another body limit. */
  public ServerOptions withMaxBodyBytes(long bytes) {
    return new ServerOptions(host, port, bytes, deadline, maxQueued, threads, drainTimeout);
  }

  /** The same options with another deadline. */
  public ServerOptions withDeadline(Duration deadline) {
    return new ServerOptions(host, port, maxBodyBytes, deadline, maxQueued, threads, drainTimeout);
  }

  /** The same options with another queue bound and thread count. */
  public ServerOptions withQueue(int maxQueued, int threads) {
    return new ServerOptions(host, port, maxBodyBytes, deadline, maxQueued, threads, drainTimeout);
  }

  /** The same options on another address. */
  public ServerOptions withHost(String host) {
    return new ServerOptions(host, port, maxBodyBytes, deadline, maxQueued, threads, drainTimeout);
  }
}

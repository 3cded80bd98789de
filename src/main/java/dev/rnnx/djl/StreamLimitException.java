package dev.rnnx.djl;

/**
 * A streaming session refused because a bound of {@link StreamOptions} is reached: the number of
 * open sessions or the bytes of state they hold. Refused at once, never queued.
 */
public final class StreamLimitException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  /** A refusal with its one-line message. */
  public StreamLimitException(String message) {
    super(message);
  }
}

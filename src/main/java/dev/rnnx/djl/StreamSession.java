package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.util.concurrent.CompletableFuture;

/**
 * One sequence fed chunk by chunk ({@link RnnxModel#openStream()}): each {@link #feed} runs the
 * model's {@code stream} form on a chunk of any number of steps, starting from the states the
 * previous chunk left, and keeps the states it returns. The outputs over the chunks equal the
 * outputs of the whole sequence run at once.
 *
 * <pre>{@code
 * try (StreamSession s = model.openStream()) {
 *   s.feed(FloatTensor.of(new float[] {0.1f, 0.2f}, 2, 1));         // 2 steps
 *   FloatTensor next = s.feed(FloatTensor.of(new float[] {0.3f}, 1, 1)); // = the model on all 3 steps
 * }
 * }</pre>
 *
 * <p>Calls on one session run one at a time (a session is one sequence); calls on different
 * sessions run concurrently and share engine calls. A session expires after its model's idle
 * timeout ({@link StreamOptions#idleTimeout()}); a call after it expired or closed is refused with
 * the reason.
 */
public final class StreamSession implements AutoCloseable {

  private enum End { CLOSED, EXPIRED, MODEL_CLOSED }

  private final StreamSessions owner;
  private final long id;
  private final String name;
  private float[] states;
  private long steps;
  private volatile long lastUsed;
  private End end;
  private long idleNanos;
  private boolean inFlight;
  private final Object serial = new Object();

  StreamSession(StreamSessions owner, long id, StreamSnapshot from) {
    this.owner = owner;
    this.id = id;
    this.name = "stream session " + id + " of model '" + owner.form().model().name() + "'";
    StreamStates layout = owner.states();
    this.states = from != null ? layout.flat(from.states(), layout.inputs()) : new float[layout.floats()];
    this.steps = from != null ? from.steps() : 0;
    this.lastUsed = System.nanoTime();
  }

  /** The session's number, unique within its model. */
  public long id() {
    return id;
  }

  /** The steps fed so far. */
  public synchronized long steps() {
    return steps;
  }

  /**
   * Feeds the next chunk of the sequence and waits for its output. Calls from several threads on one
   * session run one after the other.
   *
   * @param chunk float features {@code [steps, features]} (or {@code [1, steps, features]}); for a
   *     model over token ids, ids {@code [steps]} (or {@code [1, steps]}) as a {@link LongTensor};
   *     at least one step
   * @return the model's output for the chunk, batch 1: {@code [1, steps, units]} for a model that
   *     outputs every step, {@code [1, units]} (the output after the chunk's last step) otherwise
   * @throws dev.rnnx.spec.InvalidInputException naming this session and the input, when the chunk
   *     does not fit the model (feature size, ids, values)
   * @throws IllegalStateException naming the reason, when the session has expired or been closed
   */
  public FloatTensor feed(Tensor chunk) {
    synchronized (serial) {
      CompletableFuture<FloatTensor> f = feedAsync(chunk);
      try {
        return f.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
  }

  /**
   * Feeds the next chunk without waiting: the future completes with the chunk's output (as {@link
   * #feed} returns it) once the engine call its chunk joined has run, so that one thread can drive
   * many sessions. A session takes one chunk at a time: the next one once this future completed.
   *
   * @throws dev.rnnx.spec.InvalidInputException at once, naming this session and the input, when
   *     the chunk does not fit the model
   * @throws IllegalStateException at once when the session has expired or been closed (with the
   *     reason), or its previous chunk is still running
   */
  public synchronized CompletableFuture<FloatTensor> feedAsync(Tensor chunk) {
    requireLive();
    if (inFlight) {
      throw new IllegalStateException(name + " is still running its previous chunk; feed the next one when it completes");
    }
    Tensor input = asBatchOfOne(chunk);
    int n = Math.toIntExact(input.dim(1));
    owner.check(name, input);
    inFlight = true;
    CompletableFuture<StreamStep.Result> f;
    try {
      f = owner.step().run(input, n, states);
    } catch (RuntimeException e) {
      inFlight = false;
      throw e;
    }
    return f.handle((out, failure) -> done(out, failure, n));
  }

  private synchronized FloatTensor done(StreamStep.Result out, Throwable failure, long n) {
    inFlight = false;
    if (failure != null) {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(name + ": " + cause.getMessage(), cause);
    }
    if (end == null) {
      states = out.states();
      steps += n;
      lastUsed = System.nanoTime();
    }
    return out.output();
  }

  /** The session's states now, with its model's fingerprint: to {@link RnnxModel#restoreStream} later. */
  public synchronized StreamSnapshot snapshot() {
    requireLive();
    return new StreamSnapshot(owner.fingerprint(), owner.form().model().name(), steps, owner.states().named(states));
  }

  /** Ends the session and frees its state. Idempotent. */
  @Override
  public synchronized void close() {
    if (end == null) {
      end = End.CLOSED;
      states = null;
      owner.release(this);
    }
  }

  /** Ends the session because its model closed. */
  synchronized void closeWithModel() {
    if (end == null) {
      end = End.MODEL_CLOSED;
      states = null;
    }
  }

  /** Expires the session when it has been idle past the timeout at {@code now}. */
  void expireIfIdle(long now) {
    long idle = now - lastUsed;
    if (idle > owner.options().idleTimeout().toNanos()) {
      synchronized (this) {
        if (end == null && now - lastUsed > owner.options().idleTimeout().toNanos()) {
          end = End.EXPIRED;
          idleNanos = now - lastUsed;
          states = null;
          owner.release(this);
        }
      }
    }
  }

  private void requireLive() {
    if (end == null) {
      expireIfIdle(System.nanoTime());
    }
    if (end != null) {
      throw new IllegalStateException(name + " " + switch (end) {
        case CLOSED -> "is closed: it was closed by its caller";
        case EXPIRED -> "has expired: it was idle for " + idleNanos / 1_000_000 + " ms, past the idle timeout of "
            + owner.options().idleTimeout().toMillis() + " ms";
        case MODEL_CLOSED -> "is closed: its model was closed";
      });
    }
  }

  /** The chunk with a batch axis of 1, checked for at least one step. */
  private Tensor asBatchOfOne(Tensor chunk) {
    if (chunk == null) {
      throw new IllegalArgumentException(name + ": input '" + Sequential.INPUT + "' is missing, expected a chunk of steps");
    }
    boolean tokens = owner.form().model().input().tokens();
    int stepRank = tokens ? 1 : 2;
    long[] shape = chunk.shape();
    if (shape.length == stepRank + 1 && shape[0] == 1) {
      shape = java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }
    if (shape.length != stepRank) {
      throw new dev.rnnx.spec.InvalidInputException(dev.rnnx.spec.InvalidInputException.Problem.RANK, Sequential.INPUT,
          name + ": input '" + Sequential.INPUT + "' is " + chunk.shapeString() + ", expected "
              + (tokens ? "token ids [steps] or [1, steps]" : "[steps, features] or [1, steps, features]"));
    }
    if (shape[0] < 1) {
      throw new dev.rnnx.spec.InvalidInputException(dev.rnnx.spec.InvalidInputException.Problem.SHAPE, Sequential.INPUT,
          name + ": input '" + Sequential.INPUT + "' has 0 steps, expected at least 1");
    }
    long[] batched = new long[shape.length + 1];
    batched[0] = 1;
    System.arraycopy(shape, 0, batched, 1, shape.length);
    if (chunk instanceof FloatTensor f) {
      return FloatTensor.of(f.data(), batched);
    }
    return LongTensor.of(((LongTensor) chunk).data(), batched);
  }

  @Override
  public String toString() {
    return name;
  }
}

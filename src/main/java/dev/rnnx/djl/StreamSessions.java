package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The streaming sessions of one model: opens them within the bounds of {@link StreamOptions},
 * expires idle ones, and runs every session's chunks through the {@code stream} form (on {@link
 * RnnxModel}, through a {@link StreamBatcher}, so that the chunks of concurrent sessions share
 * engine calls; over a plain form function, one call per chunk). Thread-safe.
 *
 * <pre>{@code
 * // over any backend's stream form, e.g. the reference:
 * StreamSessions sessions = StreamSessions.over(StreamForm.of(model), "ref", StreamOptions.DEFAULTS, new RefStream(model, weights)::run);
 * try (StreamSession s = sessions.open()) {
 *   s.feed(FloatTensor.of(new float[] {0.1f, 0.2f, 0.3f}, 3, 1));   // 3 steps of 1 feature
 * }
 * }</pre>
 */
public final class StreamSessions implements AutoCloseable {

  private final StreamForm form;
  private final String fingerprint;
  private final StreamOptions options;
  private final StreamStates states;
  private final InputContract chunkContract;
  private final int plainFeatures;
  private StreamStep step;
  private final long bytesPerSession;
  private final Map<Long, StreamSession> open = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private boolean closed;

  private StreamSessions(StreamForm form, String fingerprint, StreamOptions options) {
    this.form = form;
    this.fingerprint = fingerprint;
    this.options = options;
    this.states = StreamStates.of(form);
    InputContract all = form.form().contract();
    this.chunkContract = new InputContract(
        all.inputs().stream().filter(i -> !states.inputs().contains(i.name())).toList(), all.limits());
    this.plainFeatures = plainFeatures(chunkContract);
    this.bytesPerSession = form.stateFloats() * Float.BYTES;
  }

  /**
   * The feature size when the chunk contract asks of a float chunk no more than its shape {@code
   * [1, steps ≥ 1, features]} and finite values (no rules, no axis limits), so that {@link #check}
   * can test just that; else -1.
   */
  private static int plainFeatures(InputContract c) {
    InputContract.Input in = c.input(Sequential.INPUT);
    if (in == null || !in.floating() || !in.rules().isEmpty() || !c.limits().isEmpty() || in.axes() == null
        || in.axes().size() != 3 || in.axes().get(1).size() >= 0 || in.axes().get(2).size() < 1) {
      return -1;
    }
    return Math.toIntExact(in.axes().get(2).size());
  }

  /**
   * Sessions over a stream form computed by {@code step} (the form's inputs to its outputs).
   *
   * @param fingerprint what identifies the model and its weights; snapshots of another are refused
   */
  public static StreamSessions over(StreamForm form, String fingerprint, StreamOptions options,
      Function<Map<String, ? extends Tensor>, Map<String, FloatTensor>> step) {
    StreamSessions sessions = new StreamSessions(form, fingerprint, options);
    StreamStates layout = sessions.states;
    sessions.step = (input, steps, flat) -> {
      Map<String, Tensor> request = new LinkedHashMap<>();
      request.put(Sequential.INPUT, input);
      request.put(Sequential.LENGTHS, LongTensor.of(new long[] {steps}, 1));
      request.putAll(layout.named(flat));
      Map<String, FloatTensor> out = step.apply(request);
      return CompletableFuture.completedFuture(new StreamStep.Result(out.get("output"), layout.flat(out, layout.outputs())));
    };
    return sessions;
  }

  /** Sessions whose chunks a {@link StreamBatcher} merges without blocking their callers; it closes with them. */
  static StreamSessions overBatcher(StreamForm form, String fingerprint, StreamOptions options, StreamBatcher batcher) {
    StreamSessions sessions = new StreamSessions(form, fingerprint, options);
    sessions.step = batcher;
    return sessions;
  }

  /** What the stream batcher has done; {@link BatchingStats#NONE} over a plain function. */
  public BatchingStats batchingStats() {
    return step.stats();
  }

  /** The form the sessions run. */
  public StreamForm form() {
    return form;
  }

  /** The model's fingerprint, carried by every snapshot. */
  public String fingerprint() {
    return fingerprint;
  }

  /** The bounds. */
  public StreamOptions options() {
    return options;
  }

  /** The bytes of state one session holds: {@link StreamForm#stateFloats()} float32 values. */
  public long stateBytesPerSession() {
    return bytesPerSession;
  }

  /** Sessions open now (idle ones past their timeout are expired first). */
  public int openSessions() {
    expireIdle();
    return open.size();
  }

  /**
   * Opens a session whose states start at zero.
   *
   * @throws StreamLimitException at once when the session limit or the state-memory limit is reached
   * @throws IllegalStateException once closed
   */
  public StreamSession open() {
    return admit(null);
  }

  /**
   * Opens a session that goes on from a snapshot.
   *
   * @throws IllegalArgumentException when the snapshot is of another model (its fingerprint differs) or its
   *     states do not fit the form
   * @throws StreamLimitException at once when a limit is reached
   */
  public StreamSession restore(StreamSnapshot snapshot) {
    if (!fingerprint.equals(snapshot.fingerprint())) {
      throw new IllegalArgumentException("stream snapshot of model '" + snapshot.model() + "' (fingerprint "
          + abbreviate(snapshot.fingerprint()) + ") does not fit model '" + form.model().name() + "' (fingerprint "
          + abbreviate(fingerprint) + "): its states come from another model or other weights");
    }
    List<String> names = form.stateInputs();
    if (!snapshot.states().keySet().equals(new java.util.HashSet<>(names))) {
      throw new IllegalArgumentException("stream snapshot of model '" + snapshot.model() + "' holds states "
          + snapshot.states().keySet() + ", expected " + names);
    }
    for (String n : names) {
      FloatTensor t = snapshot.states().get(n);
      long units = form.form().inputs().stream().filter(s -> s.name().equals(n)).findFirst().orElseThrow().shape().dim(1);
      if (t.rank() != 2 || t.dim(0) != 1 || t.dim(1) != units) {
        throw new IllegalArgumentException("stream snapshot of model '" + snapshot.model() + "': state '" + n + "' is "
            + t.shapeString() + ", expected [1, " + units + "]");
      }
    }
    return admit(snapshot);
  }

  private synchronized StreamSession admit(StreamSnapshot from) {
    if (closed) {
      throw new IllegalStateException("the stream sessions of model '" + form.model().name() + "' are closed with their model");
    }
    expireIdle();
    if (open.size() >= options.maxSessions()) {
      throw new StreamLimitException("model '" + form.model().name() + "': " + open.size()
          + " stream sessions are open, the limit (StreamOptions.maxSessions); close one, or wait for idle ones to expire after "
          + options.idleTimeout());
    }
    if ((open.size() + 1L) * bytesPerSession > options.maxStateBytes()) {
      throw new StreamLimitException("model '" + form.model().name() + "': " + open.size() + " stream sessions hold "
          + open.size() * bytesPerSession + " bytes of state; one more (" + bytesPerSession + " bytes) would pass the limit of "
          + options.maxStateBytes() + " (StreamOptions.maxStateBytes)");
    }
    long id = ids.incrementAndGet();
    StreamSession s = new StreamSession(this, id, from);
    open.put(id, s);
    return s;
  }

  /** Expires every session idle past the timeout. */
  void expireIdle() {
    long now = System.nanoTime();
    for (StreamSession s : open.values()) {
      s.expireIfIdle(now);
    }
  }

  /** How the sessions' chunks run. */
  StreamStep step() {
    return step;
  }

  /** Where each state lies in a session's flat state array. */
  StreamStates states() {
    return states;
  }

  /**
   * Checks a chunk (batch 1) against the form's contract for {@code input} and {@code lengths}: the
   * states a session passes are the form's own outputs, so they are not checked again.
   *
   * @throws dev.rnnx.spec.InvalidInputException naming {@code source} and the input
   */
  void check(String source, Tensor input) {
    if (plainFeatures > 0 && input instanceof FloatTensor f && f.rank() == 3 && f.dim(0) == 1 && f.dim(1) >= 1
        && f.dim(2) == plainFeatures && f.firstNonFinite() < 0) {
      return; // what the contract would find: it fits (its lengths, 1 … steps, always do)
    }
    Map<String, Tensor> request = new LinkedHashMap<>();
    request.put(Sequential.INPUT, input);
    request.put(Sequential.LENGTHS, LongTensor.of(new long[] {input.dim(1)}, 1));
    chunkContract.check(source, request);
  }

  /** Forgets a session that closed or expired. */
  void release(StreamSession s) {
    open.remove(s.id());
  }

  /** Closes every session (later calls on them say their model was closed), then the form's runner. */
  @Override
  public void close() {
    List<StreamSession> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(open.values());
    }
    all.forEach(StreamSession::closeWithModel);
    open.clear();
    step.close();
  }

  private static String abbreviate(String fingerprint) {
    return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
  }
}

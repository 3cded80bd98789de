package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.spec.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dynamic batcher of streaming sessions: merges the queued chunks of many sessions (one row
 * each, of any number of steps) into one call of the {@code stream} form. Every chunk of a form
 * fits every batch, so, unlike {@link DynamicBatcher}, it keeps no batch keys and builds no request
 * maps: each of {@link BatchingOptions#workers()} worker threads takes up to {@code maxBatchSize}
 * queued chunks (waiting at most {@code maxDelay} after the oldest arrived for more; when more are
 * queued, the oldest and those closest to it in steps), writes them, time padded with zeros to the
 * longest, into one {@code input}, one {@code lengths}
 * and one array per state, runs the form once (on ONNX Runtime, its own session without DJL's per-call arrays), and copies each row's
 * output and states back to its session. Padding is invisible: the form's recurrent layers stop at
 * each row's length ({@link Batches}).
 */
final class StreamBatcher implements StreamStep {

  private record Pending(Tensor input, int steps, float[] states, long arrival, CompletableFuture<Result> result) {}

  private static final AtomicInteger IDS = new AtomicInteger();
  /** Step distances told apart when chunks are picked by length; farther ones count as this minus 1. */
  private static final int DISTANCES = 64;

  private final Function<Map<String, Tensor>, Map<String, FloatTensor>> engine;
  private final AutoCloseable resource;
  private final StreamStates layout;
  private final boolean tokens;
  private final boolean sequenceOutput;
  private final int features;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong batchCount = new AtomicLong();
  private final AtomicLong largest = new AtomicLong();
  private boolean closed;

  /**
   * Starts the workers over one engine call of the stream form ({@code engine}, called by several
   * workers at once), whose resource closes on {@link #close}.
   */
  StreamBatcher(StreamForm form, Function<Map<String, Tensor>, Map<String, FloatTensor>> engine, AutoCloseable resource,
      BatchingOptions options) {
    this.engine = engine;
    this.resource = resource;
    this.layout = StreamStates.of(form);
    this.tokens = form.model().input().tokens();
    this.sequenceOutput = form.sequenceOutput();
    this.features = tokens ? 1 : form.form().inputs().get(0).shape().dim(2);
    this.maxBatch = options.maxBatchSize();
    this.maxDelayNanos = options.maxDelay().toNanos();
    int id = IDS.incrementAndGet();
    for (int i = 0; i < options.workers(); i++) {
      Thread t = new Thread(this::work, "rnnx-stream-worker-" + id + "-" + (i + 1));
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
  }

  @Override
  public CompletableFuture<Result> run(Tensor input, int steps, float[] states) {
    Pending p = new Pending(input, steps, states, System.nanoTime(), new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      queue.addLast(p);
      arrived.signal();
    } finally {
      lock.unlock();
    }
    return p.result;
  }

  @Override
  public BatchingStats stats() {
    long r = requests.get();
    return new BatchingStats(r, batchCount.get(), r, largest.get());
  }

  private void work() {
    try {
      List<Pending> batch;
      while ((batch = gather()) != null) {
        run(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The next batch, or {@code null} once closed. */
  private List<Pending> gather() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        arrived.await();
      }
      if (closed) {
        return null;
      }
      long deadline = queue.peekFirst().arrival + maxDelayNanos;
      while (!closed && queue.size() < maxBatch) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        arrived.awaitNanos(wait);
      }
      List<Pending> batch = queue.size() <= maxBatch ? drainAll() : closestToOldest();
      if (!queue.isEmpty()) {
        arrived.signal(); // another worker takes the rest
      }
      return batch.isEmpty() ? null : batch;
    } finally {
      lock.unlock();
    }
  }

  private List<Pending> drainAll() {
    List<Pending> batch = new ArrayList<>(queue);
    queue.clear();
    return batch;
  }

  /**
   * With more chunks queued than a batch holds: the oldest chunk, and the {@code maxBatchSize - 1}
   * queued chunks whose step counts are closest to its own (the older first among equals), so that
   * a batch pads little; the oldest chunk always goes, so none waits behind later ones for ever.
   */
  private List<Pending> closestToOldest() {
    Pending head = queue.pollFirst();
    int need = maxBatch - 1;
    int[] atDistance = new int[DISTANCES];
    for (Pending p : queue) {
      atDistance[distance(p, head)]++;
    }
    int cut = 0; // chunks closer than cut all go, those at cut while room is left
    for (int taken = 0; cut < DISTANCES - 1 && taken + atDistance[cut] < need; cut++) {
      taken += atDistance[cut];
    }
    int room = need;
    for (int d = 0; d < cut; d++) {
      room -= atDistance[d];
    }
    List<Pending> batch = new ArrayList<>(maxBatch);
    batch.add(head);
    for (java.util.Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      int d = distance(p, head);
      if (d < cut || d == cut && room-- > 0) {
        batch.add(p);
        it.remove();
      }
    }
    return batch;
  }

  /** How far a chunk's steps are from the oldest chunk's, capped: the batcher's measure of padding. */
  private static int distance(Pending p, Pending head) {
    return Math.min(DISTANCES - 1, Math.abs(p.steps - head.steps));
  }

  private void run(List<Pending> batch) {
    int rows = batch.size();
    batchCount.incrementAndGet();
    requests.addAndGet(rows);
    largest.accumulateAndGet(rows, Math::max);
    try {
      Map<String, FloatTensor> out = engine.apply(merge(batch));
      scatter(batch, out);
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.result.completeExceptionally(e));
    }
  }

  /** One request of the form: the chunks' rows, time padded with zeros to the longest. */
  private Map<String, Tensor> merge(List<Pending> batch) {
    int rows = batch.size();
    int time = 0;
    for (Pending p : batch) {
      time = Math.max(time, p.steps);
    }
    Map<String, Tensor> request = new HashMap<>();
    long[] lengths = new long[rows];
    int rowSize = time * features;
    if (tokens) {
      long[] ids = new long[rows * rowSize];
      for (int r = 0; r < rows; r++) {
        Pending p = batch.get(r);
        System.arraycopy(((LongTensor) p.input).data(), 0, ids, r * rowSize, p.steps);
        lengths[r] = p.steps;
      }
      request.put(Sequential.INPUT, LongTensor.of(ids, rows, time));
    } else {
      float[] x = new float[rows * rowSize];
      for (int r = 0; r < rows; r++) {
        Pending p = batch.get(r);
        System.arraycopy(((FloatTensor) p.input).data(), 0, x, r * rowSize, p.steps * features);
        lengths[r] = p.steps;
      }
      request.put(Sequential.INPUT, FloatTensor.of(x, rows, time, features));
    }
    request.put(Sequential.LENGTHS, LongTensor.of(lengths, rows));
    for (int s = 0; s < layout.units().length; s++) {
      int units = layout.units()[s];
      int from = layout.offsets()[s];
      float[] state = new float[rows * units];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(batch.get(r).states, from, state, r * units, units);
      }
      request.put(layout.inputs().get(s), FloatTensor.of(state, rows, units));
    }
    return request;
  }

  /** Each row's output (cut to its own steps) and states back to its chunk's future. */
  private void scatter(List<Pending> batch, Map<String, FloatTensor> out) {
    FloatTensor output = out.get("output");
    long[] shape = output.shape();
    int rows = batch.size();
    if (shape[0] != rows) {
      throw new IllegalStateException("the stream form returned " + shape[0] + " rows of output for a batch of " + rows);
    }
    int rowSize = output.data().length / rows;
    float[][] states = new float[layout.units().length][];
    for (int s = 0; s < states.length; s++) {
      states[s] = out.get(layout.outputs().get(s)).data();
    }
    for (int r = 0; r < rows; r++) {
      Pending p = batch.get(r);
      FloatTensor mine;
      if (sequenceOutput) {
        int units = (int) shape[2];
        float[] y = new float[p.steps * units];
        System.arraycopy(output.data(), r * rowSize, y, 0, y.length);
        mine = FloatTensor.of(y, 1, p.steps, units);
      } else {
        float[] y = new float[rowSize];
        System.arraycopy(output.data(), r * rowSize, y, 0, rowSize);
        long[] one = shape.clone();
        one[0] = 1;
        mine = FloatTensor.of(y, one);
      }
      float[] next = new float[layout.floats()];
      for (int s = 0; s < states.length; s++) {
        int units = layout.units()[s];
        System.arraycopy(states[s], r * units, next, layout.offsets()[s], units);
      }
      p.result.complete(new Result(mine, next));
    }
  }

  /** Stops taking chunks, fails those still queued, waits for running batches, then closes the runner. */
  @Override
  public void close() {
    List<Pending> left;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      left = new ArrayList<>(queue);
      queue.clear();
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    left.forEach(p -> p.result.completeExceptionally(new IllegalStateException("the model was closed before this chunk ran")));
    try {
      for (Thread t : workers) {
        t.join(60_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        resource.close();
      } catch (Exception e) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }
  }
}

package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Merges concurrent requests to one model form into batches ({@link BatchingOptions}).
 *
 * <p>One dispatcher thread waits for a free worker, then for a first request, then gathers the
 * queued requests that can share its batch ({@link Batches#key}) in arrival order until the batch
 * holds {@code maxBatchSize} rows or {@code maxDelay} has passed since the first request arrived,
 * and hands the batch to the worker. Requests that cannot join wait for a later batch, oldest
 * first. A worker runs its batch with DJL's {@code batchPredict} on a predictor of the pool (one
 * predictor per worker) and completes every request's future with its own rows, or every future
 * with the failure.
 */
final class DynamicBatcher implements AutoCloseable {

  private record Pending(Map<String, ? extends Tensor> inputs, String key, int rows, long arrival,
      CompletableFuture<Map<String, FloatTensor>> result) {}

  private static final AtomicInteger IDS = new AtomicInteger();

  private final BatchingOptions options;
  private final PredictorPool pool;
  private final Batches batches;
  private final long maxDelayNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Semaphore freeWorkers;
  private final ExecutorService workers;
  private final Thread dispatcher;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong batchCount = new AtomicLong();
  private final AtomicLong rowCount = new AtomicLong();
  private final AtomicLong largest = new AtomicLong();
  private boolean closed;

  DynamicBatcher(BatchingOptions options, PredictorPool pool) {
    if (pool.size() < options.workers()) {
      throw new IllegalArgumentException("a pool of " + pool.size() + " predictors cannot serve " + options.workers() + " workers");
    }
    this.options = options;
    this.pool = pool;
    this.batches = pool.translator().batches();
    this.maxDelayNanos = options.maxDelay().toNanos();
    this.freeWorkers = new Semaphore(options.workers());
    int id = IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(options.workers(), r -> {
      Thread t = new Thread(r, "rnnx-batch-worker-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.dispatcher = new Thread(this::dispatch, "rnnx-batch-dispatcher-" + id);
    dispatcher.setDaemon(true);
    dispatcher.start();
  }

  /**
   * Queues a checked request.
   *
   * @throws IllegalStateException once closed
   */
  CompletableFuture<Map<String, FloatTensor>> submit(Map<String, ? extends Tensor> inputs) {
    Pending p = new Pending(inputs, batches.key(inputs), Batches.rows(inputs), System.nanoTime(), new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      queue.addLast(p);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    return p.result;
  }

  BatchingStats stats() {
    return new BatchingStats(requests.get(), batchCount.get(), rowCount.get(), largest.get());
  }

  private void dispatch() {
    try {
      while (true) {
        freeWorkers.acquire();
        List<Pending> batch = gather();
        if (batch == null) {
          freeWorkers.release();
          return;
        }
        try {
          workers.execute(() -> {
            try {
              run(batch);
            } finally {
              freeWorkers.release();
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // closed between gathering and handing over
          batch.forEach(p -> p.result.completeExceptionally(new IllegalStateException("the model was closed before this request ran")));
          return;
        }
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
      Pending head = queue.peekFirst();
      long deadline = head.arrival + maxDelayNanos;
      while (!closed && joinable(head) < options.maxBatchSize()) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        arrived.awaitNanos(wait);
      }
      List<Pending> batch = new ArrayList<>();
      int rows = 0;
      for (Iterator<Pending> it = queue.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (p.key.equals(head.key) && (batch.isEmpty() || rows + p.rows <= options.maxBatchSize())) {
          batch.add(p);
          rows += p.rows;
          it.remove();
          if (rows >= options.maxBatchSize()) {
            break;
          }
        }
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Rows queued that could share the head's batch. */
  private int joinable(Pending head) {
    int rows = 0;
    for (Pending p : queue) {
      if (p.key.equals(head.key)) {
        rows += p.rows;
      }
    }
    return rows;
  }

  private void run(List<Pending> batch) {
    int rows = batch.stream().mapToInt(Pending::rows).sum();
    batchCount.incrementAndGet();
    rowCount.addAndGet(rows);
    largest.accumulateAndGet(rows, Math::max);
    requests.addAndGet(batch.size());
    List<Map<String, ? extends Tensor>> inputs = new ArrayList<>(batch.size());
    batch.forEach(p -> inputs.add(p.inputs));
    try {
      List<Map<String, FloatTensor>> out = pool.batchPredict(inputs);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result.complete(out.get(i));
      }
    } catch (RuntimeException | Error e) {
      batch.forEach(p -> p.result.completeExceptionally(e));
    }
  }

  /** Stops taking requests, fails those still queued, and waits for running batches. */
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
    left.forEach(p -> p.result.completeExceptionally(new IllegalStateException("the model was closed before this request ran")));
    dispatcher.interrupt();
    workers.shutdown();
    try {
      dispatcher.join(10_000);
      workers.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

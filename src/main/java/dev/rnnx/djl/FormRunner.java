package dev.rnnx.djl;

import dev.rnnx.spec.Budget;
import dev.rnnx.spec.BudgetException;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One loaded model form as {@link RnnxModel} serves it: the DJL model, its pool of predictors, and
 * its dynamic batcher when batching is on. Thread-safe.
 */
final class FormRunner implements AutoCloseable {

  private final String form;
  private final DjlModel model;
  private final TensorTranslator translator;
  private final PredictorPool pool;
  private final DynamicBatcher batcher;

  /**
   * @param batches how requests share a batch, or {@code null} for a form whose requests are never
   *     merged (then {@code batching} is ignored)
   * @param batching dynamic batching, or {@code null} for none
   */
  FormRunner(String form, DjlModel model, Batches batches, int poolSize, BatchingOptions batching) {
    this.form = form;
    this.model = model;
    this.translator = new TensorTranslator(model, batches);
    boolean batched = batching != null && batches != null;
    this.pool = new PredictorPool(translator, batched ? Math.max(poolSize, batching.workers()) : poolSize);
    DynamicBatcher b = null;
    try {
      b = batched ? new DynamicBatcher(batching, pool) : null;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    this.batcher = b;
  }

  String form() {
    return form;
  }

  DjlModel model() {
    return model;
  }

  TensorTranslator translator() {
    return translator;
  }

  boolean batching() {
    return batcher != null;
  }

  BatchingStats stats() {
    return batcher == null ? BatchingStats.NONE : batcher.stats();
  }

  /**
   * Runs one request, through the batcher when batching is on.
   *
   * @throws InvalidInputException before anything runs, for a request that does not fit
   */
  Map<String, FloatTensor> run(Map<String, ? extends Tensor> request) {
    if (batcher == null) {
      return pool.predict(request); // the translator checks it, before any native call
    }
    model.check(request); // here, so that a bad request fails alone, not the batch it would join
    return await(batcher.submit(request));
  }

  /**
   * Runs one request without waiting for it: through the batcher when batching is on (the future
   * completes when its batch has run), otherwise at once in the calling thread. The server's
   * asynchronous path ({@link ServingPredictor#predictAsync}).
   *
   * @throws InvalidInputException before anything runs, for a request that does not fit
   */
  CompletableFuture<Map<String, FloatTensor>> submit(Map<String, ? extends Tensor> request) {
    if (batcher == null) {
      return CompletableFuture.completedFuture(pool.predict(request));
    }
    model.check(request);
    return batcher.submit(request);
  }

  /**
   * Runs several requests: through the batcher when batching is on, otherwise as one engine call
   * per group of requests that can share a batch. Results in request order.
   */
  List<Map<String, FloatTensor>> runAll(List<? extends Map<String, ? extends Tensor>> requests) {
    requests.forEach(model::check);
    List<Map<String, FloatTensor>> out = new ArrayList<>(Collections.nCopies(requests.size(), null));
    if (batcher != null) {
      List<CompletableFuture<Map<String, FloatTensor>>> futures = new ArrayList<>();
      requests.forEach(r -> futures.add(batcher.submit(r)));
      for (int i = 0; i < futures.size(); i++) {
        out.set(i, await(futures.get(i)));
      }
      return out;
    }
    if (translator.batches() == null) {
      for (int i = 0; i < requests.size(); i++) {
        out.set(i, pool.predict(requests.get(i)));
      }
      return out;
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      groups.computeIfAbsent(translator.batches().key(requests.get(i)), k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> group : groups.values()) {
      List<Map<String, ? extends Tensor>> in = new ArrayList<>();
      group.forEach(i -> in.add(requests.get(i)));
      List<Map<String, FloatTensor>> results = pool.batchPredict(in);
      for (int j = 0; j < group.size(); j++) {
        out.set(group.get(j), results.get(j));
      }
    }
    return out;
  }

  /**
   * Runs every predictor of the pool once, so each has made its first engine call (ONNX Runtime
   * allocates and plans on the first run), on a request built from the declared inputs: zeros for
   * floats, ones for integers (a valid length, id and count in every rnnx form), size 1 on every
   * free axis, {@code rows} copies merged where the form batches. A form whose inputs are not all
   * declared with a rank and a float or integer type is not warmed up.
   *
   * @return whether the form was warmed up
   * @throws BudgetException before allocating, when a declared fixed size makes the warm-up request
   *     larger than {@link Budget#WARMUP_ELEMENTS}
   */
  boolean warmUp(int rows) {
    int n = translator.batches() == null ? 1 : Math.max(1, rows);
    Map<String, Tensor> request = warmUpRequest(model.declaredInputs(), "model " + model.source() + ", form '" + form + "'", n);
    if (request == null) {
      return false;
    }
    List<Map<String, ? extends Tensor>> batch = new ArrayList<>(Collections.nCopies(n, request));
    List<Thread> threads = new ArrayList<>();
    List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < pool.size(); i++) {
      // concurrently, so that every predictor of the pool is taken once
      Thread t = new Thread(() -> {
        try {
          if (n == 1) {
            pool.predict(request);
          } else {
            pool.batchPredict(batch);
          }
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }, "rnnx-warm-up-" + form + "-" + i);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during warm-up", e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return true;
  }

  /**
   * A request built from declared inputs, as {@link #warmUp} describes; {@code null} when one cannot
   * be built. Every input's elements, times {@code rows} copies, are checked against
   * {@link Budget#WARMUP_ELEMENTS} before anything is allocated.
   *
   * @param source names the model and form in a refusal
   */
  static Map<String, Tensor> warmUpRequest(InputContract inputs, String source, int rows) {
    Map<String, Tensor> request = new LinkedHashMap<>();
    for (InputContract.Input s : inputs.inputs()) {
      if (s.axes() == null) {
        return null;
      }
      long[] dims = s.axes().stream().mapToLong(a -> a.size() < 0 ? 1 : a.size()).toArray();
      long elements = 1;
      for (long d : dims) {
        elements = Budget.times(elements, d);
      }
      Budget.WARMUP_ELEMENTS.check(source + ": warm-up of input '" + s.name() + "' declared " + Arrays.toString(dims)
          + (rows > 1 ? " × " + rows + " rows" : ""), Budget.times(elements, rows));
      int n = Math.toIntExact(elements);
      if (s.type().equals("float32")) {
        request.put(s.name(), new FloatTensor(dims, new float[n]));
      } else if (s.type().equals("int32") || s.type().equals("int64")) {
        long[] ones = new long[n];
        Arrays.fill(ones, 1);
        request.put(s.name(), new LongTensor(dims, ones));
      } else {
        return null;
      }
    }
    return request;
  }

  private static Map<String, FloatTensor> await(CompletableFuture<Map<String, FloatTensor>> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batched result", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  @Override
  public void close() {
    try {
      if (batcher != null) {
        batcher.close();
      }
    } finally {
      try {
        pool.close();
      } finally {
        model.close();
      }
    }
  }
}

package dev.rnnx.djl;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of DJL predictors for one model form. A DJL {@link Predictor} is not thread-safe;
 * each call borrows one and gives it back, so at most {@link #size()} engine calls run at once and
 * further callers wait their turn.
 */
final class PredictorPool implements AutoCloseable {

  private final TensorTranslator translator;
  private final List<Predictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>>> all = new ArrayList<>();
  private final BlockingQueue<Predictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>>> idle;

  PredictorPool(TensorTranslator translator, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("pool size is " + size + ", expected at least 1");
    }
    this.translator = translator;
    this.idle = new ArrayBlockingQueue<>(size, true); // fair: callers get a predictor in arrival order
    try {
      for (int i = 0; i < size; i++) {
        Predictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> p = translator.model().newPredictor(translator);
        all.add(p);
        idle.add(p);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int size() {
    return all.size();
  }

  TensorTranslator translator() {
    return translator;
  }

  /** Runs one request on a free predictor. */
  Map<String, FloatTensor> predict(Map<String, ? extends Tensor> request) {
    return withPredictor(p -> p.predict(request));
  }

  /** Runs several requests as one batch on a free predictor. */
  List<Map<String, FloatTensor>> batchPredict(List<Map<String, ? extends Tensor>> requests) {
    return withPredictor(p -> p.batchPredict(requests));
  }

  /** One engine call with a DJL predictor. */
  private interface Call<T> {
    T on(Predictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> predictor) throws TranslateException;
  }

  private <T> T withPredictor(Call<T> call) {
    Predictor<Map<String, ? extends Tensor>, Map<String, FloatTensor>> p;
    try {
      p = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a free predictor", e);
    }
    try {
      return call.on(p);
    } catch (TranslateException e) {
      throw unwrap(translator.model(), e);
    } finally {
      idle.add(p);
    }
  }

  /**
   * A caller's mistake found inside DJL's call comes back as itself, ONNX Runtime refusing the model
   * as an {@link OrtRefusal}; anything else is the engine failing, an {@link IllegalStateException}.
   */
  static RuntimeException unwrap(DjlModel model, TranslateException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException iae) {
        return iae;
      }
    }
    IllegalArgumentException refused = OrtRefusal.of(model.source(), e);
    if (refused != null) {
      return refused;
    }
    return new IllegalStateException(model.engineName() + " failed to run " + model.source() + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    for (Predictor<?, ?> p : all) {
      p.close();
    }
    all.clear();
    idle.clear();
  }
}

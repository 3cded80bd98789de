package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A thread-safe predictor for one task of an {@link RnnxModel}: any number of request threads may
 * call {@link #predict} at once. Each call encodes its example ({@link TaskTranslator#encode}),
 * checks it against the model in Java ({@link InvalidInputException} before any native call), runs
 * it on a pooled DJL predictor or through the model's dynamic batcher, and decodes its own answer.
 * Valid until its model is closed.
 *
 * @param <I> one example
 * @param <O> its answer
 */
public final class ServingPredictor<I, O> {

  private final RnnxModel owner;
  private final FormRunner runner;
  private final TaskTranslator<I, O> translator;

  ServingPredictor(RnnxModel owner, FormRunner runner, TaskTranslator<I, O> translator) {
    this.owner = owner;
    this.runner = runner;
    this.translator = translator;
  }

  /**
   * The answer for one example.
   *
   * @throws InvalidInputException (an {@link IllegalArgumentException}) when the example does not
   *     fit the model: wrong type, rank or shape, NaN or infinity, a value out of range, empty
   * @throws IllegalStateException when the model is closed or the engine fails
   */
  public O predict(I input) {
    Objects.requireNonNull(input, "input");
    return owner.whileOpen(() -> {
      Map<String, Tensor> encoded = translator.encode(input);
      return translator.decode(input, runner.run(encoded));
    });
  }

  /**
   * Whether {@link #predictAsync} returns without waiting for the engine: the form has a dynamic
   * batcher. Without one, {@code predictAsync} runs the example in the calling thread.
   */
  public boolean asynchronous() {
    return runner.batching();
  }

  /**
   * The answer for one example, later: with batching on, the example is encoded, checked and
   * queued on the dynamic batcher in the calling thread, which does not wait; the future completes
   * on a batch worker thread (decoding there), or with the engine's failure, or with an {@link
   * IllegalStateException} when the model is closed before the example ran. Without batching it is
   * {@link #predict} in the calling thread, completed.
   *
   * @throws InvalidInputException (an {@link IllegalArgumentException}) before anything is queued,
   *     when the example does not fit the model
   * @throws IllegalStateException when the model is closed
   */
  public CompletableFuture<O> predictAsync(I input) {
    Objects.requireNonNull(input, "input");
    if (!runner.batching()) {
      return CompletableFuture.completedFuture(predict(input));
    }
    return owner.whileOpen(() -> runner.submit(translator.encode(input)).thenApply(out -> translator.decode(input, out)));
  }

  /**
   * The answers for several examples, in order: merged into engine calls as batching allows
   * (through the batcher when it is on; otherwise one call per group of examples that can share a
   * batch). Every example is checked before any runs.
   *
   * @throws InvalidInputException for the first example that does not fit
   */
  public List<O> predictAll(List<I> inputs) {
    Objects.requireNonNull(inputs, "inputs");
    if (inputs.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Problem.EMPTY, null, "no examples to predict; expected at least one");
    }
    return owner.whileOpen(() -> {
      List<Map<String, Tensor>> encoded = new ArrayList<>(inputs.size());
      inputs.forEach(i -> encoded.add(translator.encode(Objects.requireNonNull(i, "input"))));
      List<Map<String, FloatTensor>> outputs = runner.runAll(encoded);
      List<O> out = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        out.add(translator.decode(inputs.get(i), outputs.get(i)));
      }
      return out;
    });
  }

  /** The task translator, which a plain DJL {@code Predictor} of the same model can also run. */
  public TaskTranslator<I, O> translator() {
    return translator;
  }

  /** What the form's dynamic batcher has done; {@link BatchingStats#NONE} without batching. */
  public BatchingStats batchingStats() {
    return runner.stats();
  }
}

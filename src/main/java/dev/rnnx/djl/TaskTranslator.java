package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A task's translator: one example in ({@link #encode}: a {@link Sequence}, a word, tensors), the
 * model's named tensors for it (batch of one), and the example's answer out ({@link #decode}). It
 * is a DJL {@link Translator} too, over the form's {@link TensorTranslator}, so a plain DJL
 * {@link ai.djl.inference.Predictor} runs it, {@code batchPredict} included; {@link RnnxModel}'s
 * predictors call {@link #encode} and {@link #decode} around their own pool and batcher.
 *
 * @param <I> one example
 * @param <O> its answer
 */
public abstract class TaskTranslator<I, O> implements Translator<I, O> {

  private static final String INPUTS = "rnnx.task-inputs";

  private final TensorTranslator tensors;

  /**
   * @param tensors the form's tensor translator
   */
  protected TaskTranslator(TensorTranslator tensors) {
    this.tensors = tensors;
  }

  /**
   * The model's inputs for one example, batch of one.
   *
   * @throws InvalidInputException when the example does not fit the model
   */
  public abstract Map<String, Tensor> encode(I input);

  /** The example's answer from the model's outputs for it (batch of one). */
  public abstract O decode(I input, Map<String, FloatTensor> outputs);

  /** The form's tensor translator. */
  public TensorTranslator tensors() {
    return tensors;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, I input) {
    ctx.setAttachment(INPUTS, List.of(input));
    return tensors.processInput(ctx, encode(input));
  }

  @Override
  @SuppressWarnings("unchecked")
  public O processOutput(TranslatorContext ctx, NDList list) {
    return decode(((List<I>) ctx.getAttachment(INPUTS)).get(0), tensors.processOutput(ctx, list));
  }

  /** Not used: the batch methods merge and split through the tensor translator. */
  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<I> inputs) {
    ctx.setAttachment(INPUTS, List.copyOf(inputs));
    List<Map<String, ? extends Tensor>> encoded = new ArrayList<>(inputs.size());
    for (I in : inputs) {
      encoded.add(encode(in));
    }
    return tensors.batchProcessInput(ctx, encoded);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<O> batchProcessOutput(TranslatorContext ctx, NDList list) {
    List<I> inputs = (List<I>) ctx.getAttachment(INPUTS);
    List<Map<String, FloatTensor>> outputs = tensors.batchProcessOutput(ctx, list);
    List<O> out = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      out.add(decode(inputs.get(i), outputs.get(i)));
    }
    return out;
  }
}

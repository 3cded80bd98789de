package dev.rnnx.djl;

import dev.rnnx.spec.InvalidInputException;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.List;
import java.util.Map;

/**
 * DJL's {@link Translator} for one model form, from named tensors to named float32 outputs. Every
 * request is checked ({@link DjlModel#check}) in {@link #processInput} before DJL reaches the
 * engine. {@link ai.djl.inference.Predictor#batchPredict} merges its requests into one engine call
 * ({@link Batches}: concatenated on the batch axis, padded in time where the model reads
 * {@code lengths}) and gives each request back its own rows, so DJL's batch API is the dynamic
 * batcher's engine call. The task translators ({@link TaskTranslator}) sit on top of this one.
 */
public final class TensorTranslator implements Translator<Map<String, ? extends Tensor>, Map<String, FloatTensor>> {

  private static final String PLAN = "rnnx.batch-plan";

  private final DjlModel model;
  private final Batches batches;

  TensorTranslator(DjlModel model, Batches batches) {
    this.model = model;
    this.batches = batches;
  }

  /** The model this translator feeds. */
  DjlModel model() {
    return model;
  }

  /** How requests share a batch; {@code null} when they never do. */
  Batches batches() {
    return batches;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, Map<String, ? extends Tensor> input) {
    model.check(input);
    return model.toNDList(ctx.getNDManager(), input);
  }

  @Override
  public Map<String, FloatTensor> processOutput(TranslatorContext ctx, NDList list) {
    return model.fromNDList(list);
  }

  /** Not used: {@link #batchProcessInput} and {@link #batchProcessOutput} merge and split. */
  @Override
  public Batchifier getBatchifier() {
    return Batchifier.STACK;
  }

  /**
   * Checks each request, then merges them into one batch.
   *
   * @throws InvalidInputException for the first bad request
   * @throws IllegalArgumentException when the requests cannot share a batch
   */
  @Override
  public NDList batchProcessInput(TranslatorContext ctx, List<Map<String, ? extends Tensor>> inputs) {
    if (batches == null && inputs.size() > 1) {
      throw new IllegalStateException("requests to " + model.source() + " are not merged into batches");
    }
    for (Map<String, ? extends Tensor> in : inputs) {
      model.check(in);
    }
    // DJL's predict(one) comes here too, as a batch of one, which needs no merging
    Batches.Merged merged = (batches == null ? Batches.EXACT : batches).merge(inputs);
    ctx.setAttachment(PLAN, merged.plan());
    return model.toNDList(ctx.getNDManager(), merged.inputs());
  }

  @Override
  public List<Map<String, FloatTensor>> batchProcessOutput(TranslatorContext ctx, NDList list) {
    return (batches == null ? Batches.EXACT : batches).split(model.fromNDList(list), (Batches.Plan) ctx.getAttachment(PLAN));
  }
}

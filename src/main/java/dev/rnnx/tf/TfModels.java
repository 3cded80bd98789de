package dev.rnnx.tf;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.Split;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;

/**
 * One entry point for every model kind: {@link TfTrainer} (Sequential), {@link TfSeq2Seq} and
 * {@link TfWord2Vec} train, {@link TfForms} serves and exports.
 *
 * <pre>{@code
 * TrainingResult trained = TfModels.train(recipe, data, options);   // Split, TranslationSplit or Corpus
 * try (TfForms forms = TfModels.forms(recipe.model(), trained.weights())) {
 *   forms.exportSavedModels(dir.resolve("saved_model"), provenance);
 * }
 * }</pre>
 */
public final class TfModels {

  private TfModels() {}

  /** The weights training starts from, for any model kind, drawn from the recipe's seed. */
  public static Weights initialWeights(Recipe recipe) {
    return recipe.model() instanceof Sequential ? TfTrainer.initialWeights(recipe) : InitialWeights.generate(recipe.model(),
        Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));
  }

  /**
   * Trains the recipe's model on data of its kind: a {@link Split} for a Sequential model, a
   * {@link TranslationSplit} for seq2seq, a {@link Corpus} for word2vec.
   *
   * @throws IllegalArgumentException when the data are not of the model's kind or do not fit it
   * @throws IllegalStateException when the loss stops being finite
   */
  public static TrainingResult train(Recipe recipe, Object data, TrainingOptions options) {
    ModelSpec model = recipe.model();
    if (model instanceof Sequential && data instanceof Split split) {
      return TfTrainer.train(recipe, split, options);
    }
    if (model instanceof Seq2Seq && data instanceof TranslationSplit split) {
      return TfSeq2Seq.train(recipe, split, options);
    }
    if (model instanceof dev.rnnx.spec.Word2Vec && data instanceof Corpus corpus) {
      return TfWord2Vec.train(recipe, corpus, options);
    }
    String want = model instanceof Sequential ? "a Split" : model instanceof Seq2Seq ? "a TranslationSplit" : "a Corpus";
    throw new IllegalArgumentException("a " + model.kind() + " model trains on " + want + ", got "
        + (data == null ? "nothing" : data.getClass().getSimpleName()));
  }

  /** Every form of a model as live sessions ({@link TfForms#build}). */
  public static TfForms forms(ModelSpec model, Weights weights) {
    return TfForms.build(model, weights);
  }
}

package dev.rnnx.tf;

import dev.rnnx.data.Corpus;
import dev.rnnx.data.NamedArrays;
import dev.rnnx.data.Split;
import dev.rnnx.data.TranslationSplit;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.io.UncheckedIOException;

/**
 * Trains any recipe with TensorFlow Java: the one training entry point for every model kind. The
 * core is shared: a {@link TrainingGraph} (the task's inputs, the parameters as variables in the
 * canonical layout initialised from {@link InitialWeights} with a seed derived from the recipe's,
 * the task's loss, the optimiser with its clipping, every variable in a {@link VariableStore}) and
 * the {@link TrainingLoop} (per-epoch shuffling seeded from the recipe seed and the epoch number
 * alone, minibatches with the last, smaller one kept, progress callbacks, evaluation, stopping,
 * checkpoints and exact resumption). What differs per model kind is a {@link TrainingTask}:
 * {@link SequentialTraining}, {@link Seq2SeqTraining} (teacher forcing), {@link Word2VecTraining}
 * (negative sampling or the full softmax), {@link GraphTraining} (several named inputs and outputs).
 *
 * <p>Variable updates wait for every gradient and sessions use a fixed thread count, so a seed
 * gives the same weights on every run on one machine, and a run resumed from a checkpoint reaches
 * bit for bit the weights of an uninterrupted one.
 *
 * <pre>{@code
 * TrainingResult trained = Trainer.train(recipe, data, TrainingOptions.defaults()); // Split, TranslationSplit or Corpus
 * }</pre>
 */
public final class Trainer {

  private Trainer() {}

  /** The weights training starts from, for any model kind: the model's initializers, drawn from the recipe's seed. */
  public static Weights initialWeights(Recipe recipe) {
    return InitialWeights.generate(recipe.model(), Seeds.derive(recipe.seed(), Seeds.INITIAL_WEIGHTS));
  }

  /**
   * Trains the recipe's model on data of its kind, with evaluation, early stopping and checkpoints
   * as {@code options} say.
   *
   * @param data a {@link Split} for a Sequential model, a {@link TranslationSplit} for seq2seq, a
   *     {@link Corpus} for word2vec, a {@link NamedArrays.Split} for a graph model
   * @throws IllegalArgumentException when the data are not of the model's kind or do not fit the
   *     model or the recipe, or the checkpoint to resume from was written for another model,
   *     recipe or data
   * @throws IllegalStateException when the loss stops being finite
   * @throws UncheckedIOException when a checkpoint cannot be written
   */
  public static TrainingResult train(Recipe recipe, Object data, TrainingOptions options) {
    long started = System.nanoTime();
    TrainingTask task = task(recipe, data);
    String fingerprint = task.fingerprint();
    Checkpoints.State resumed = TrainingLoop.resumed(options, fingerprint);
    Weights start = options.initialWeights() != null ? options.initialWeights().checkFits(recipe.model()) : initialWeights(recipe);
    try (TrainingGraph g = new TrainingGraph(task, recipe.training(), start)) {
      return new TrainingLoop(recipe.seed(), recipe.training(), options, g, fingerprint, started).run(resumed);
    }
  }

  /** The plug-in of the recipe's model kind, refusing data of another kind. */
  private static TrainingTask task(Recipe recipe, Object data) {
    ModelSpec model = recipe.model();
    if (model instanceof Sequential && data instanceof Split split) {
      return new SequentialTraining(recipe, split);
    }
    if (model instanceof Seq2Seq s && data instanceof TranslationSplit split) {
      return new Seq2SeqTraining(recipe, s, split);
    }
    if (model instanceof Word2Vec w && data instanceof Corpus corpus) {
      return new Word2VecTraining(recipe, w, corpus);
    }
    if (model instanceof Graph g && data instanceof NamedArrays.Split arrays) {
      return new GraphTraining(recipe, g, arrays);
    }
    String want = model instanceof Sequential ? "a Split" : model instanceof Seq2Seq ? "a TranslationSplit"
        : model instanceof Graph ? "a NamedArrays.Split" : "a Corpus";
    throw new IllegalArgumentException("a " + model.kind() + " model trains on " + want + ", got "
        + (data == null ? "nothing" : data.getClass().getSimpleName()));
  }
}

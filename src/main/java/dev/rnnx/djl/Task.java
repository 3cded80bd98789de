package dev.rnnx.djl;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.ModelSpec;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Word2Vec;

/**
 * What a served model does, read from its run's recipe ({@link #of}).
 */
public enum Task {
  /** Numbers out: a linear (or any non-probability) head, e.g. sine-lstm's next value. */
  REGRESSION,
  /** One class per sequence: a softmax head on a per-sequence output (or one sigmoid unit trained with binary cross-entropy). */
  CLASSIFICATION,
  /** One class per step: a {@code TimeDistributed} softmax head (or a per-step sigmoid unit trained with binary cross-entropy). */
  TAGGING,
  /** Text to text: a seq2seq run, greedy or beam search over its decoder-step form. */
  GENERATION,
  /** Word vectors and nearest words: a word2vec run. */
  EMBEDDING,
  /** Named tensors in and out: an artifact without a recipe. */
  TENSORS;

  /**
   * The task of a recipe's model: seq2seq generates, word2vec embeds; a sequential model
   * classifies when its last layer is a softmax {@link Dense} (or a single sigmoid unit trained
   * with binary cross-entropy) and the output is per sequence, tags when the output is per step,
   * and otherwise regresses; a graph model's named tensors go in and out as they are.
   */
  public static Task of(Recipe recipe) {
    ModelSpec model = recipe.model();
    if (model instanceof Seq2Seq) {
      return GENERATION;
    }
    if (model instanceof Word2Vec) {
      return EMBEDDING;
    }
    if (model instanceof dev.rnnx.spec.Graph) { // several named inputs and outputs
      return TENSORS;
    }
    Sequential s = (Sequential) model;
    Layer last = s.layers().get(s.layers().size() - 1);
    Dense head = last.denseMap().orElse(null);
    boolean probabilities = head != null
        && (head.activation() == Activation.SOFTMAX && head.units() > 1
            || head.activation() == Activation.SIGMOID && head.units() == 1 && recipe.training().loss() == Loss.BINARY_CROSSENTROPY);
    if (!probabilities) {
      return REGRESSION;
    }
    return s.outputs().get(0).shape().rank() == 3 ? TAGGING : CLASSIFICATION;
  }
}

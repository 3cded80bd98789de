package dev.rnnx.spec;

/**
 * Everything needed to reproduce one model: architecture, data, training, export and the
 * tolerances its parity check uses. Read from and written to YAML by {@link RecipeCodec}.
 *
 * @param name recipe name; names the default output folder
 * @param description one line for humans
 * @param seed the seed of every random choice (data, initial weights, shuffling, test inputs)
 * @param model the architecture
 * @param data the generated task; its kind must suit the model's
 * @param training the training settings
 * @param export the export settings
 * @param tolerances the parity tolerances
 */
public record Recipe(
    String name,
    String description,
    long seed,
    ModelSpec model,
    DataSpec data,
    TrainingSpec training,
    ExportSpec export,
    Tolerances tolerances) {

  /** Checks that the parts are present and fit together. */
  public Recipe {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      throw new IllegalArgumentException("name '" + name + "' is invalid, expected letters, digits, '.', '_' or '-'");
    }
    description = description == null ? "" : description;
    if (model == null || data == null || training == null || export == null || tolerances == null) {
      throw new IllegalArgumentException("recipe '" + name + "' is incomplete: model, data, training, export and tolerances are required");
    }
    if (data instanceof ImportedTask) {
      // an imported model: nothing to train on, nothing to fit
    } else if (model instanceof Sequential s && data instanceof SequenceTask t) {
      checkFits(s, t, training);
    } else if (model instanceof Seq2Seq s && data instanceof TranslationTask t) {
      checkFits(s, t, training);
    } else if (model instanceof Word2Vec w && data instanceof CorpusTask c) {
      checkFits(w, c, training);
    } else if (model instanceof Graph g && data instanceof ArraysTask a) {
      a.terms(g, training.loss());
      if (training.accuracy()) {
        throw new IllegalArgumentException("training.metrics [accuracy] is not computed for graph models; each output's loss is");
      }
    } else {
      throw new IllegalArgumentException("a " + model.kind() + " model cannot train on task '" + data.task() + "'");
    }
  }

  /** The model as a {@link Sequential}, for the code paths only sequential models take. */
  public Sequential sequential() {
    if (model instanceof Sequential s) {
      return s;
    }
    throw new IllegalArgumentException("recipe '" + name + "' holds a " + model.kind() + " model, expected a sequential one");
  }

  /** The training sequence length of the task, the time axis of every training batch. */
  public int trainingLength() {
    return data.sequenceLength();
  }

  private static void checkFits(Sequential model, SequenceTask data, TrainingSpec training) {
    if (training.loss() == Loss.AUTO) {
      throw new IllegalArgumentException("training.loss auto chooses a loss per output of a graph model; name the loss of"
          + " sequential model '" + model.name() + "'");
    }
    ModelInput want = data.modelInput();
    ModelInput got = model.input();
    if (want.tokens() != got.tokens() || want.features() != got.features() || (want.lengths() && !got.lengths())) {
      throw new IllegalArgumentException("model '" + model.name() + "' reads " + describe(got) + " but task '" + data.task()
          + "' gives " + describe(want));
    }
    Shape output = model.outputs().get(0).shape();
    if (!output.equals(data.targetShape())) {
      throw new IllegalArgumentException("model '" + model.name() + "' outputs " + output + " but task '" + data.task()
          + "' has targets " + data.targetShape());
    }
    Activation needed = training.loss().requiredActivation();
    Layer last = model.layers().get(model.layers().size() - 1);
    Activation act = last.denseMap().map(Dense::activation).orElse(null);
    if (needed != null && act != needed) {
      throw new IllegalArgumentException("loss " + training.loss().recipeName() + " needs a last layer with activation '"
          + needed + "', got " + (act == null ? "layer kind '" + last.kind() + "'" : "'" + act + "'"));
    }
  }

  private static void checkFits(Seq2Seq model, TranslationTask data, TrainingSpec training) {
    if (model.sourceVocabulary() != data.sourceVocabulary() || model.targetVocabulary() != data.targetVocabulary()) {
      throw new IllegalArgumentException("model '" + model.name() + "' has vocabularies " + model.sourceVocabulary() + " → "
          + model.targetVocabulary() + " but task '" + data.task() + "' has " + data.sourceVocabulary() + " → " + data.targetVocabulary());
    }
    if (model.maxSourceLength() < data.maxSourceLength() || model.maxTargetLength() < data.maxTargetLength()) {
      throw new IllegalArgumentException("model '" + model.name() + "' accepts sources up to " + model.maxSourceLength()
          + " and targets up to " + model.maxTargetLength() + " tokens but task '" + data.task() + "' needs " + data.maxSourceLength()
          + " and " + data.maxTargetLength());
    }
    if (training.loss() != Loss.CATEGORICAL_CROSSENTROPY) {
      throw new IllegalArgumentException("a seq2seq model trains with categorical_crossentropy on its next-token distribution, got "
          + training.loss().recipeName());
    }
  }

  private static void checkFits(Word2Vec model, CorpusTask data, TrainingSpec training) {
    if (model.vocabulary() != data.vocabulary()) {
      throw new IllegalArgumentException("model '" + model.name() + "' has vocabulary " + model.vocabulary() + " but task '"
          + data.task() + "' has " + data.vocabulary() + " words");
    }
    Loss want = model.objective() == Word2Vec.Objective.SOFTMAX ? Loss.CATEGORICAL_CROSSENTROPY : Loss.BINARY_CROSSENTROPY;
    if (training.loss() != want) {
      throw new IllegalArgumentException("word2vec with " + model.objective().recipeName() + " trains with " + want.recipeName()
          + ", got " + training.loss().recipeName());
    }
  }

  private static String describe(ModelInput in) {
    return (in.tokens() ? "token ids" : in.features() + " feature(s) per step") + (in.lengths() ? " with lengths" : "");
  }
}

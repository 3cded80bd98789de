package dev.rnnx.spec;

/**
 * Everything needed to reproduce one model: architecture, data, training, export and the
 * tolerances its parity check uses. Read from and written to YAML by {@link RecipeCodec}.
 *
 * @param name recipe name; names the default output folder
 * @param description one line for humans
 * @param seed the seed of every random choice (data, initial weights, shuffling, test inputs)
 * @param model the architecture
 * @param data the generated task
 * @param training the training settings
 * @param export the export settings
 * @param tolerances the parity tolerances
 */
public record Recipe(
    String name,
    String description,
    long seed,
    Sequential model,
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
    checkFits(model, data, training);
  }

  private static void checkFits(Sequential model, DataSpec data, TrainingSpec training) {
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
    Activation act = last instanceof Dense d ? d.activation() : last instanceof TimeDistributed t ? t.layer().activation() : null;
    if (needed != null && act != needed) {
      throw new IllegalArgumentException("loss " + training.loss().recipeName() + " needs a last layer with activation '"
          + needed + "', got " + (act == null ? "layer kind '" + last.kind() + "'" : "'" + act + "'"));
    }
  }

  private static String describe(ModelInput in) {
    return (in.tokens() ? "token ids" : in.features() + " feature(s) per step") + (in.lengths() ? " with lengths" : "");
  }

  /** The training sequence length of the task, the time axis of every training batch. */
  public int trainingLength() {
    return data.sequenceLength();
  }
}

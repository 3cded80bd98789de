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
  }

  /** The training sequence length of the task, the time axis of every training batch. */
  public int trainingLength() {
    return data.sequenceLength();
  }
}

package dev.rnnx.imports;

import dev.rnnx.spec.ModelSpec;
import dev.rnnx.weights.Weights;
import java.util.List;
import java.util.Objects;

/**
 * A model read from another framework's file: its architecture as an rnnx {@link ModelSpec}, its
 * weights in the canonical (Keras) layout, where it came from, and the remarks a user should read
 * (for example a layer imported as the identity because it only acts in training).
 *
 * @param model the architecture
 * @param weights the weights, already checked to fit {@code model}
 * @param source the file and the framework that wrote it
 * @param notes remarks for the user, one line each; empty when there are none
 */
public record ImportedModel(ModelSpec model, Weights weights, ImportSource source, List<String> notes) {

  /** Checks that the parts are present and that the weights fit the model. */
  public ImportedModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(source, "source");
    notes = notes == null ? List.of() : List.copyOf(notes);
    weights.checkFits(model);
  }
}

package dev.rnnx.verify;

import java.util.List;

/**
 * The input and output keys of one SavedModel signature (tag {@code serve}), as
 * {@link BackendOpener#signature} reads them from {@code saved_model.pb}.
 *
 * @param inputs the input keys, sorted
 * @param outputs the output keys, sorted
 */
public record SavedModelSignature(List<String> inputs, List<String> outputs) {

  /** Copies the lists. */
  public SavedModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}

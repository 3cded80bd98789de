package dev.rnnx.djl;

import dev.rnnx.spec.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming session's state at one point ({@link StreamSession#snapshot()}): every recurrent
 * layer's state after the steps fed so far, and the fingerprint of the model it belongs to. A
 * session restored from it ({@link RnnxModel#restoreStream}) goes on where it stopped; a model with
 * another fingerprint (another recipe, other weights) refuses it.
 *
 * @param fingerprint the model's fingerprint ({@link StreamSessions#fingerprint()})
 * @param model the model's name, for messages
 * @param steps the steps fed before the snapshot
 * @param states the states by the stream form's state-input names, each {@code [1, units]}
 */
public record StreamSnapshot(String fingerprint, String model, long steps, Map<String, FloatTensor> states) {

  /** Copies the states. */
  public StreamSnapshot {
    if (fingerprint == null || model == null || states == null) {
      throw new IllegalArgumentException("a stream snapshot needs a fingerprint, a model name and states");
    }
    states = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(states));
  }
}

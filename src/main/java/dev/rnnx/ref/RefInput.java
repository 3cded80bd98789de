package dev.rnnx.ref;

import java.util.Map;

/**
 * What one layer's reference forward reads.
 *
 * @param x the layer's input: features {@code [B, T, F]} or {@code [B, F]}, or for an embedding
 *     token ids {@code [B, T]} held as doubles
 * @param lengths the length of each sequence ({@code [B]}, each 1 … T), or {@code null} when every
 *     sequence fills T; only recurrent layers read it
 * @param initialStates the layer's initial states by the names of
 *     {@link dev.rnnx.spec.Layer#stateInputNames()} ({@code h}, {@code c}, {@code forward_h}, …),
 *     each {@code [B, units]}; empty when the states start at zero
 */
public record RefInput(DoubleTensor x, int[] lengths, Map<String, DoubleTensor> initialStates) {

  /** Copies the state map. */
  public RefInput {
    if (x == null) {
      throw new IllegalArgumentException("a layer input is required");
    }
    initialStates = initialStates == null ? Map.of() : Map.copyOf(initialStates);
    if (lengths != null) {
      lengths = lengths.clone();
    }
  }

  /** An input without lengths or initial states. */
  public static RefInput of(DoubleTensor x) {
    return new RefInput(x, null, Map.of());
  }

  @Override
  public int[] lengths() {
    return lengths == null ? null : lengths.clone();
  }
}

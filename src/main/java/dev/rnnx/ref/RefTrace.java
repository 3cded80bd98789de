package dev.rnnx.ref;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole reference forward laid open: every layer's input and outputs and, for recurrent layers,
 * every step's states and gate activations. The parity verifier walks it to name the first layer,
 * step and gate where a backend diverges from the oracle. The model outputs are exactly those of
 * {@link ReferenceModel#forward}.
 *
 * @param lengths the model's {@code lengths} input, or {@code null} when it has none
 * @param layers one entry per layer, in model order
 * @param outputs the model outputs by name ({@code output}, {@code state_h}, …)
 */
public record RefTrace(int[] lengths, List<LayerTrace> layers, Map<String, DoubleTensor> outputs) {

  /** Copies the collections. */
  public RefTrace {
    lengths = lengths == null ? null : lengths.clone();
    layers = List.copyOf(layers);
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  @Override
  public int[] lengths() {
    return lengths == null ? null : lengths.clone();
  }

  /**
   * One layer's trace by name.
   *
   * @throws IllegalArgumentException naming the model's layers
   */
  public LayerTrace layer(String name) {
    for (LayerTrace l : layers) {
      if (l.layer().name().equals(name)) {
        return l;
      }
    }
    throw new IllegalArgumentException("no layer '" + name + "', expected one of "
        + layers.stream().map(l -> l.layer().name()).toList());
  }
}

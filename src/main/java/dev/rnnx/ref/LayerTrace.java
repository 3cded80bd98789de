package dev.rnnx.ref;

import dev.rnnx.spec.Layer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One layer's part of a {@link RefTrace}: what it read and everything it returned.
 *
 * @param index the layer's position in the model, from 0
 * @param layer the layer
 * @param input what it read (the previous layer's main output, or the model input; token ids as
 *     doubles for an embedding)
 * @param outputs its outputs by {@link Layer#outputNames()}: {@code output}, then any states
 * @param directions per-step states and gates: one entry for an RNN, {@code forward} then
 *     {@code backward} for a bidirectional layer, none for other layers
 * @param internals named intermediate tensors: {@code weights [B, T, T]} of an attention layer,
 *     {@code weights [B, heads, T, T]} of multi-head attention, and for a Transformer block
 *     {@code attention/weights}, {@code attention/output}, {@code attention_norm/output},
 *     {@code ffn_inner/output}, {@code ffn_outer/output}; empty for other layers
 */
public record LayerTrace(int index, Layer layer, DoubleTensor input, Map<String, DoubleTensor> outputs,
    List<RecurrentTrace> directions, Map<String, DoubleTensor> internals) {

  /** Copies the collections. */
  public LayerTrace {
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    directions = List.copyOf(directions);
    internals = Collections.unmodifiableMap(new LinkedHashMap<>(internals == null ? Map.of() : internals));
  }

  /** A layer without intermediate tensors. */
  public LayerTrace(int index, Layer layer, DoubleTensor input, Map<String, DoubleTensor> outputs,
      List<RecurrentTrace> directions) {
    this(index, layer, input, outputs, directions, Map.of());
  }

  /**
   * One intermediate tensor by name.
   *
   * @throws IllegalArgumentException naming the ones this layer recorded
   */
  public DoubleTensor internal(String name) {
    DoubleTensor t = internals.get(name);
    if (t == null) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' recorded no '" + name + "', expected one of "
          + internals.keySet());
    }
    return t;
  }

  /** The main output. */
  public DoubleTensor output() {
    return outputs.get("output");
  }

  /**
   * One direction's steps.
   *
   * @throws IllegalArgumentException naming the directions this layer has
   */
  public RecurrentTrace direction(String name) {
    for (RecurrentTrace d : directions) {
      if (d.direction().equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("layer '" + layer.name() + "' has no direction '" + name + "', expected one of "
        + directions.stream().map(RecurrentTrace::direction).toList());
  }
}

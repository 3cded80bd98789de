package dev.rnnx.ref;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives what one layer's forward computed inside it, when the caller traces: the per-step
 * states and gates of each recurrent direction ({@link RecurrentTrace}) and named intermediate
 * tensors such as attention weights or a Transformer block's sub-layer outputs. One sink per layer
 * call; not thread-safe.
 */
public final class TraceSink {

  private final List<RecurrentTrace> directions = new ArrayList<>();
  private final Map<String, DoubleTensor> internals = new LinkedHashMap<>();

  /** The recurrent directions added so far, in order. */
  public List<RecurrentTrace> directions() {
    return Collections.unmodifiableList(directions);
  }

  /** The named intermediate tensors added so far, in order. */
  public Map<String, DoubleTensor> internals() {
    return Collections.unmodifiableMap(internals);
  }

  /**
   * Records an intermediate tensor.
   *
   * @throws IllegalStateException when the name is taken
   */
  public void put(String name, DoubleTensor value) {
    if (internals.putIfAbsent(name, value) != null) {
      throw new IllegalStateException("intermediate '" + name + "' recorded twice");
    }
  }

  /** The list recurrent runs append to; {@code null} for a {@code null} sink. */
  static List<RecurrentTrace> steps(TraceSink sink) {
    return sink == null ? null : sink.directions;
  }

  /** Records into a sink that may be {@code null} (then nothing happens). */
  static void put(TraceSink sink, String name, DoubleTensor value) {
    if (sink != null) {
      sink.put(name, value);
    }
  }
}

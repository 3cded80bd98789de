package dev.rnnx.ref;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import java.util.Map;
import java.util.Set;

/** The table of reference forwards, one per layer kind. */
public final class RefLayers {

  private static final Map<String, RefForward<?>> FORWARDS = Map.of(
      Dense.KIND, new DenseForward(),
      Lstm.KIND, new LstmForward());

  private RefLayers() {}

  /** The layer kinds that have a reference forward. */
  public static Set<String> kinds() {
    return FORWARDS.keySet();
  }

  /**
   * The forward of a layer's kind.
   *
   * @throws IllegalArgumentException when the kind has none
   */
  @SuppressWarnings("unchecked")
  public static <L extends Layer> RefForward<L> forward(L layer) {
    RefForward<?> f = FORWARDS.get(layer.kind());
    if (f == null) {
      throw new IllegalArgumentException("no reference forward for layer kind '" + layer.kind() + "', expected one of " + kinds());
    }
    return (RefForward<L>) f;
  }
}

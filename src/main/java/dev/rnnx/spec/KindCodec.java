package dev.rnnx.spec;

import java.util.Map;

/**
 * One kind's YAML reader and writer, the value type of the tables keyed by kind in
 * {@link LayerCodec} and {@link ModelCodec}.
 *
 * @param reader reads the kind's fields (after {@code type}); {@code name} is the item's name
 * @param writer writes the kind's fields (without {@code type} and {@code name})
 * @param <T> the layer or model type
 */
record KindCodec<T>(KindCodec.Reader<T> reader, KindCodec.Writer<T> writer) {

  /** Reads one kind's fields. */
  interface Reader<T> {
    T read(RecipeNode n, String name);
  }

  /** Writes one kind's fields. */
  interface Writer<T> {
    Map<String, Object> write(T value);
  }
}

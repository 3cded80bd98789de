package dev.rnnx.spec;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named input tensors that remember the file each came from, so that {@link InputContract#check}
 * names the file in its message whichever backend the inputs reach. Unmodifiable; passed on as it
 * is, never copied, by every backend.
 */
public final class SourcedInputs extends AbstractMap<String, Tensor> {

  private final Map<String, Tensor> tensors;
  private final Map<String, String> sources;
  private final String origin;

  /**
   * @param tensors the inputs by name, in order
   * @param sources the file of each input by name
   * @param origin where inputs without a file of their own came from (the case's folder or file),
   *     named for a missing or unknown input
   */
  public SourcedInputs(Map<String, ? extends Tensor> tensors, Map<String, String> sources, String origin) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.sources = Map.copyOf(sources);
    this.origin = origin;
  }

  /** Inputs that all came from one file. */
  public static SourcedInputs from(String source, Map<String, ? extends Tensor> tensors) {
    return new SourcedInputs(tensors, Map.of(), source);
  }

  /**
   * New tensors for the same inputs (converted, renamed, copied): with {@code original}'s sources
   * when it has them, otherwise a modifiable copy of {@code tensors}.
   */
  public static Map<String, Tensor> like(Map<String, ? extends Tensor> original, Map<String, ? extends Tensor> tensors) {
    return original instanceof SourcedInputs s ? new SourcedInputs(tensors, s.sources, s.origin) : new LinkedHashMap<>(tensors);
  }

  /** Where an input came from: its file, else the inputs' origin. */
  public String source(String input) {
    return input == null ? origin : sources.getOrDefault(input, origin);
  }

  /** Where the inputs of a map came from: its own sources when it is one, otherwise {@value InputContract#REQUEST}. */
  static String sourceOf(Map<String, ?> inputs, String input) {
    return inputs instanceof SourcedInputs s ? s.source(input) : InputContract.REQUEST;
  }

  @Override
  public Set<Entry<String, Tensor>> entrySet() {
    return tensors.entrySet();
  }

  @Override
  public Tensor get(Object key) {
    return tensors.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return tensors.containsKey(key);
  }
}

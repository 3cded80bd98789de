package dev.rnnx.weights;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.ModelSpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters by name ({@code <layer>/<role>}), in the canonical layout described in
 * DESIGN.md. Immutable; the iteration order is the order the parameters were added.
 */
public final class Weights {

  private final Map<String, FloatTensor> tensors;

  /** Wraps a map of tensors; the map is copied. */
  public Weights(Map<String, FloatTensor> tensors) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** The tensors by name, in insertion order. */
  public Map<String, FloatTensor> tensors() {
    return tensors;
  }

  /** The parameter names in order. */
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /**
   * One tensor.
   *
   * @throws IllegalArgumentException naming the missing parameter and the known ones
   */
  public FloatTensor get(String name) {
    FloatTensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter '" + name + "', expected one of " + tensors.keySet());
    }
    return t;
  }

  /** Whether a parameter exists. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /**
   * Checks that these weights hold exactly the model's parameters (of any model kind) with the
   * right shapes and only finite values. The one weights-fit check every backend uses.
   *
   * @throws IllegalArgumentException naming the first parameter that does not match
   */
  public Weights checkFits(ModelSpec model) {
    List<ParameterSpec> specs = model.parameters();
    for (ParameterSpec p : specs) {
      FloatTensor t = tensors.get(p.name());
      if (t == null) {
        throw new IllegalArgumentException("weights lack parameter '" + p.name() + "' of model '" + model.name() + "'");
      }
      long[] want = Arrays.stream(p.shape()).asLongStream().toArray();
      if (!Arrays.equals(want, t.shape())) {
        throw new IllegalArgumentException("parameter '" + p.name() + "' has shape " + t.shapeString()
            + ", expected " + Arrays.toString(want));
      }
      for (int i = 0; i < t.data().length; i++) {
        if (!Float.isFinite(t.data()[i])) {
          throw new IllegalArgumentException("parameter '" + p.name() + "' holds " + t.data()[i] + " at flat index " + i
              + ", expected finite values");
        }
      }
    }
    if (tensors.size() != specs.size()) {
      List<String> extra = tensors.keySet().stream()
          .filter(n -> specs.stream().noneMatch(p -> p.name().equals(n))).toList();
      throw new IllegalArgumentException("weights hold parameters " + extra + " that model '" + model.name() + "' does not have");
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Weights w && tensors.equals(w.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return "Weights" + tensors.keySet();
  }
}

package dev.rnnx.data;

import dev.rnnx.spec.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Examples as named arrays, the first axis of each the examples: a graph model's inputs and
 * targets by input and output name, as Keras's {@code model.fit(x={...}, y={...})} takes them.
 *
 * @param arrays the arrays by name, in order; each with the same number of examples
 */
public record NamedArrays(Map<String, Tensor> arrays) {

  /** Checks that every array has a first axis and the same number of examples. */
  public NamedArrays {
    arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
    long n = -1;
    for (var e : arrays.entrySet()) {
      long[] shape = e.getValue().shape();
      if (shape.length == 0) {
        throw new IllegalArgumentException("array '" + e.getKey() + "' is a scalar, expected examples along its first axis");
      }
      if (n >= 0 && shape[0] != n) {
        throw new IllegalArgumentException("array '" + e.getKey() + "' has " + shape[0] + " examples, the others " + n);
      }
      n = shape[0];
    }
  }

  /** Examples per array; 0 without arrays. */
  public int size() {
    return arrays.isEmpty() ? 0 : (int) arrays.values().iterator().next().shape()[0];
  }

  /** One array by name, or null. */
  public Tensor get(String name) {
    return arrays.get(name);
  }

  /** Examples {@code [from, to)} of every array. */
  public NamedArrays slice(int from, int to) {
    int[] idx = new int[to - from];
    Arrays.setAll(idx, i -> from + i);
    Map<String, Tensor> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, Dataset.rows(v, idx)));
    return new NamedArrays(out);
  }

  /**
   * Training and validation examples.
   *
   * @param train examples to fit
   * @param validation held-out examples
   */
  public record Split(NamedArrays train, NamedArrays validation) {}
}

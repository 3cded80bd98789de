package dev.rnnx.tf;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A model's parameters as graph operands, looked up by canonical name ({@code <layer>/<role>}):
 * variables in a training graph, constants in a serving graph.
 */
@FunctionalInterface
public interface TfParameters {

  /**
   * The operand holding one parameter, in the canonical layout.
   *
   * @throws IllegalArgumentException when the graph has no such parameter
   */
  Operand<TFloat32> get(String name);

  /** Parameters from a map of operands by name; the map is read, not copied. */
  static TfParameters of(Map<String, ? extends Operand<TFloat32>> operands) {
    return name -> {
      Operand<TFloat32> op = operands.get(name);
      if (op == null) {
        throw new IllegalArgumentException("the graph has no parameter '" + name + "', expected one of " + operands.keySet());
      }
      return op;
    };
  }
}

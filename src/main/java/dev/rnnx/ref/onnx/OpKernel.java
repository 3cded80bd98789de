package dev.rnnx.ref.onnx;

import java.util.List;

/**
 * The computation of one ONNX operator: reads the node's attributes and its input values and
 * returns its output values in order.
 */
@FunctionalInterface
interface OpKernel {

  /**
   * Runs one node.
   *
   * @param node the node, with its attributes and the model's opset for its domain
   * @param inputs one entry per declared input; {@code null} for an optional input given as an empty
   *     name. Trailing omitted inputs are simply absent (use {@link Node#input}).
   * @return the outputs in order; may hold more than the node declares (extra ones are dropped) and
   *     {@code null} for outputs the node does not ask for
   * @throws IllegalArgumentException when the inputs or attributes break the operator's contract
   */
  List<Value> run(Node node, List<Value> inputs);

  /**
   * Runs one node that may read the values in scope by name: control-flow operators run their
   * subgraphs with it. Other kernels ignore it.
   *
   * @param scope every value visible where the node runs, by name; must not be modified
   */
  default List<Value> run(Node node, List<Value> inputs, java.util.Map<String, Value> scope) {
    return run(node, inputs);
  }
}

package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.tensorio.TypedTensor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * rnnx's causal attention mask: scores masked by {@code Where(mask, scores, −∞)} where the mask is
 * computed from the input's shape alone (through {@code Shape}; no lengths, no other graph input, not a
 * constant), which in rnnx's exports
 * is only the causal mask {@code Not(Greater(s, t))}. Lifting such a block as causal is then checked
 * against the original graph numerically ({@link NumericCheck}), so another shape-only mask is refused.
 */
final class CausalMask {

  private CausalMask() {}

  /** The scores a {@code Where(mask, scores, −∞)} with a shape-only mask masks; null when {@code where} is not that. */
  static String scores(OnnxGraph g, OnnxMl.NodeProto where, Map<String, OnnxMl.NodeProto> producer) {
    if (where == null || !where.getOpType().equals("Where") || where.getInputCount() != 3) {
      return null;
    }
    TypedTensor fill = TransformerLift.constant(g, where.getInput(2), producer);
    boolean minusInfinity = fill != null && fill.size() == 1 && fill.type().isFloating()
        && fill.toFloat().data()[0] == Float.NEGATIVE_INFINITY;
    return minusInfinity && shapeOnly(g, where.getInput(0), producer) ? where.getInput(1) : null;
  }

  /** Whether {@code value} is computed from some graph input's {@code Shape} and reads no graph input otherwise. */
  static boolean shapeOnly(OnnxGraph g, String value, Map<String, OnnxMl.NodeProto> producer) {
    boolean shaped = false;
    Set<String> inputs = new HashSet<>();
    g.inputs().forEach(i -> inputs.add(i.getName()));
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(Set.of(value));
    while (!todo.isEmpty()) {
      String v = todo.pop();
      if (!seen.add(v)) {
        continue;
      }
      if (inputs.contains(v)) {
        return false;
      }
      OnnxMl.NodeProto p = producer.get(v);
      if (p != null && !p.getOpType().equals("Shape")) {
        todo.addAll(p.getInputList());
      }
      shaped |= p != null && p.getOpType().equals("Shape");
    }
    return shaped; // a constant mask is not rnnx's causal one, which follows the input's length
  }
}

package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code If} (runs {@code then_branch} or {@code else_branch}, which read the enclosing graphs'
 * values by name) and {@code SequenceMap} (runs {@code body} once per element of its sequence
 * inputs; tensor inputs are passed whole to every iteration; each body output is collected into a
 * sequence). {@code Loop} is {@link LoopOp}.
 */
final class ControlFlowOps {

  private ControlFlowOps() {}

  /** {@code If}. */
  static final OpKernel IF = new OpKernel() {
    @Override
    public List<Value> run(Node node, List<Value> inputs) {
      throw new IllegalStateException("If needs the values in scope");
    }

    @Override
    public List<Value> run(Node node, List<Value> inputs, Map<String, Value> scope) {
      Value cond = node.required(inputs, 0, "cond");
      if (cond.size() != 1) {
        throw new IllegalArgumentException("cond must hold one element, got shape " + Shapes.str(cond.shapeRef()));
      }
      GraphProgram branch = node.subgraph(cond.getLong(0) != 0 ? "then_branch" : "else_branch");
      return new ArrayList<>(branch.execute(scope).values());
    }
  };

  /** {@code SequenceMap}. */
  static final OpKernel SEQUENCE_MAP = new OpKernel() {
    @Override
    public List<Value> run(Node node, List<Value> inputs) {
      throw new IllegalStateException("SequenceMap needs the values in scope");
    }

    @Override
    public List<Value> run(Node node, List<Value> inputs, Map<String, Value> scope) {
      GraphProgram body = node.subgraph("body");
      Value first = TensorSequenceOps.seq(node.required(inputs, 0, "input_sequence"), "input_sequence");
      int n = first.elements().size();
      List<String> names = body.inputNames();
      if (names.size() != inputs.size()) {
        throw new IllegalArgumentException("the body takes " + names.size() + " inputs, the node has " + inputs.size());
      }
      List<List<Value>> collected = new ArrayList<>();
      for (int k = 0; k < body.outputNames().size(); k++) {
        collected.add(new ArrayList<>());
      }
      for (int i = 0; i < n; i++) {
        Map<String, Value> env = new HashMap<>(scope);
        for (int j = 0; j < inputs.size(); j++) {
          Value v = node.required(inputs, j, "input " + j);
          if (v.kind() == Value.Kind.SEQUENCE) {
            if (v.elements().size() != n) {
              throw new IllegalArgumentException("sequence input " + j + " holds " + v.elements().size()
                  + " elements, input 0 holds " + n);
            }
            v = v.elements().get(i);
          }
          env.put(names.get(j), v);
        }
        List<Value> out = new ArrayList<>(body.execute(env).values());
        for (int k = 0; k < out.size(); k++) {
          collected.get(k).add(out.get(k));
        }
      }
      List<Value> results = new ArrayList<>();
      for (List<Value> c : collected) {
        results.add(Value.sequence(c.isEmpty() ? null : c.get(0).type(), c));
      }
      return results;
    }
  };
}

package dev.rnnx.ref.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code If} (runs {@code then_branch} or {@code else_branch}, which read the enclosing graphs'
 * values by name) and {@code SequenceMap} (runs {@code body} once per element of its sequence
 * inputs; tensor inputs are passed whole to every iteration; each body output is collected into a
 * sequence) and {@code Scan} (opset 8: a leading batch axis and optional {@code sequence_lens};
 * from 9: {@code scan_input_axes}, {@code scan_input_directions}, {@code scan_output_axes},
 * {@code scan_output_directions}). {@code Loop} is {@link LoopOp}.
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

  /** {@code Scan}. */
  static final OpKernel SCAN = new OpKernel() {
    @Override
    public List<Value> run(Node node, List<Value> inputs) {
      throw new IllegalStateException("Scan needs the values in scope");
    }

    @Override
    public List<Value> run(Node node, List<Value> inputs, Map<String, Value> scope) {
      GraphProgram body = node.subgraph("body");
      int m = (int) node.getInt("num_scan_inputs");
      if (node.opset() >= 9) {
        return scan(node, body, inputs, m, scope);
      }
      // opset 8: input 0 is sequence_lens, every other input has a leading batch axis
      List<Value> rest = inputs.subList(1, inputs.size());
      if (Node.input(inputs, 0) != null) {
        throw new UnsupportedOperationException("Scan-8 with sequence_lens is not supported");
      }
      long batch = rest.get(0).dim(0);
      List<List<Value>> perBatch = new ArrayList<>();
      for (int b = 0; b < batch; b++) {
        List<Value> args = new ArrayList<>();
        for (Value v : rest) {
          args.add(slice(v, 0, b));
        }
        perBatch.add(scan(node, body, args, m, scope));
      }
      List<Value> out = new ArrayList<>();
      for (int k = 0; k < perBatch.get(0).size(); k++) {
        List<Value> parts = new ArrayList<>();
        for (List<Value> r : perBatch) {
          parts.add(r.get(k));
        }
        out.add(stack(parts, 0));
      }
      return out;
    }
  };

  private static List<Value> scan(Node node, GraphProgram body, List<Value> inputs, int m, Map<String, Value> scope) {
    int n = inputs.size() - m;
    long[] inAxes = node.opset() >= 9 ? node.getInts("scan_input_axes") : null;
    long[] inDirs = node.getInts(node.opset() >= 9 ? "scan_input_directions" : "directions");
    int k = body.outputNames().size() - n;
    long[] outAxes = node.opset() >= 9 ? node.getInts("scan_output_axes") : null;
    long[] outDirs = node.opset() >= 9 ? node.getInts("scan_output_directions") : null;
    List<Value> state = new ArrayList<>(inputs.subList(0, n));
    long steps = -1;
    int[] axes = new int[m];
    for (int j = 0; j < m; j++) {
      Value v = inputs.get(n + j);
      axes[j] = Shapes.axis(inAxes == null ? 0 : inAxes[j], v.rank(), "scan_input_axes");
      if (steps >= 0 && v.dim(axes[j]) != steps) {
        throw new IllegalArgumentException("scan inputs differ in length along their scan axes");
      }
      steps = v.dim(axes[j]);
    }
    List<List<Value>> scanned = new ArrayList<>();
    for (int j = 0; j < k; j++) {
      scanned.add(new ArrayList<>());
    }
    List<String> names = body.inputNames();
    for (int t = 0; t < steps; t++) {
      Map<String, Value> env = new HashMap<>(scope);
      for (int i = 0; i < n; i++) {
        env.put(names.get(i), state.get(i));
      }
      for (int j = 0; j < m; j++) {
        boolean reverse = inDirs != null && inDirs[j] != 0;
        env.put(names.get(n + j), slice(inputs.get(n + j), axes[j], (int) (reverse ? steps - 1 - t : t)));
      }
      List<Value> out = new ArrayList<>(body.execute(env).values());
      for (int i = 0; i < n; i++) {
        state.set(i, out.get(i));
      }
      for (int j = 0; j < k; j++) {
        scanned.get(j).add(out.get(n + j));
      }
    }
    List<Value> results = new ArrayList<>(state);
    for (int j = 0; j < k; j++) {
      List<Value> parts = scanned.get(j);
      if (outDirs != null && outDirs[j] != 0) {
        java.util.Collections.reverse(parts);
      }
      if (parts.isEmpty()) {
        throw new IllegalArgumentException("Scan over zero steps has no scan output shape");
      }
      int axis = Shapes.axis(outAxes == null ? 0 : outAxes[j], parts.get(0).rank() + 1, "scan_output_axes");
      results.add(stack(parts, axis));
    }
    return results;
  }

  /** Index {@code i} of {@code axis}, the axis removed. */
  private static Value slice(Value v, int axis, int i) {
    long[] shape = new long[v.rank() - 1];
    for (int d = 0, j = 0; d < v.rank(); d++) {
      if (d != axis) {
        shape[j++] = v.dim(d);
      }
    }
    return LayoutOps.reshaped(LayoutOps.range(v, axis, i, 1), shape);
  }

  /** The values stacked along a new {@code axis}. */
  private static Value stack(List<Value> parts, int axis) {
    List<Value> expanded = new ArrayList<>();
    for (Value p : parts) {
      long[] shape = new long[p.rank() + 1];
      for (int d = 0, j = 0; d < shape.length; d++) {
        shape[d] = d == axis ? 1 : p.dim(j++);
      }
      expanded.add(LayoutOps.reshaped(p, shape));
    }
    return IndexingOps.concat(expanded, axis);
  }
}

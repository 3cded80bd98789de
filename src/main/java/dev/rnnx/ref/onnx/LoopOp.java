package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Loop} (opsets 11 to 23; tensors only): runs its {@code body} graph while the trip count
 * {@code M} is not reached and the condition holds.
 *
 * <p>Inputs {@code M} (int64 scalar, optional: no limit), {@code cond} (bool scalar, optional:
 * always true) and N loop-carried initial values. The body reads {@code (iteration_num, cond_in,
 * v_1 … v_N)} and any value of the enclosing graphs by name, and returns {@code (cond_out,
 * v'_1 … v'_N, s_1 … s_K)}; iteration i+1 reads iteration i's {@code v'}. Outputs: the final
 * loop-carried values (the initial ones after zero iterations), then each scan output {@code s_k}
 * stacked along a new leading axis, {@code [iterations, …]}, as ONNX Runtime does. A scan output of
 * zero iterations has the leading dimension 0 and the body output's declared dimensions (each
 * symbolic one 0). A loop with neither {@code M} nor {@code cond} would never end and is refused.
 */
final class LoopOp implements OpKernel {

  @Override
  public List<Value> run(Node node, List<Value> inputs) {
    throw new IllegalStateException("Loop needs the values in scope");
  }

  @Override
  public List<Value> run(Node node, List<Value> inputs, Map<String, Value> scope) {
    GraphProgram body = node.subgraph("body");
    Value m = Node.input(inputs, 0);
    Value condInit = Node.input(inputs, 1);
    if (m == null && condInit == null) {
      throw new IllegalArgumentException("Loop without a trip count M and without cond would never end");
    }
    long tripCount = m == null ? Long.MAX_VALUE : scalar(m, "M");
    boolean cond = condInit == null || scalar(condInit, "cond") != 0;
    int carried = inputs.size() - 2;
    List<String> bodyIn = body.inputNames();
    List<String> bodyOut = body.outputNames();
    if (carried < 0 || bodyIn.size() != carried + 2) {
      throw new IllegalArgumentException("the body takes " + bodyIn.size() + " inputs, expected 2 + "
          + Math.max(0, carried) + " loop-carried values");
    }
    int scans = bodyOut.size() - 1 - carried;
    if (scans < 0) {
      throw new IllegalArgumentException("the body returns " + bodyOut.size() + " outputs, expected 1 + " + carried
          + " loop-carried values + scan outputs");
    }
    List<Value> state = new ArrayList<>();
    for (int i = 0; i < carried; i++) {
      state.add(node.required(inputs, 2 + i, "v_initial[" + i + "]"));
    }
    List<List<Value>> scanned = new ArrayList<>();
    for (int k = 0; k < scans; k++) {
      scanned.add(new ArrayList<>());
    }
    long iteration = 0;
    Map<String, Value> env = new HashMap<>(scope);
    while (iteration < tripCount && cond) {
      env.put(bodyIn.get(0), Value.ofInt64(new long[0], iteration));
      env.put(bodyIn.get(1), Value.ofLongs(DataType.BOOL, new long[0], new long[] {cond ? 1 : 0}));
      for (int i = 0; i < carried; i++) {
        env.put(bodyIn.get(2 + i), state.get(i));
      }
      Map<String, Value> out;
      try {
        out = body.execute(env);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("iteration " + iteration + " of the body: " + e.getMessage(), e);
      }
      cond = scalar(out.get(bodyOut.get(0)), "cond_out") != 0;
      for (int i = 0; i < carried; i++) {
        state.set(i, out.get(bodyOut.get(1 + i)));
      }
      for (int k = 0; k < scans; k++) {
        scanned.get(k).add(out.get(bodyOut.get(1 + carried + k)));
      }
      iteration++;
    }
    List<Value> results = new ArrayList<>(state);
    for (int k = 0; k < scans; k++) {
      results.add(stack(scanned.get(k), body, 1 + carried + k));
    }
    return results;
  }

  /** The single element of a scalar (or one-element) tensor. */
  private static long scalar(Value v, String what) {
    if (v.size() != 1) {
      throw new IllegalArgumentException(what + " must hold one element, got shape " + Shapes.str(v.shapeRef()));
    }
    return v.getLong(0);
  }

  /** The iterations' values stacked along a new leading axis; they must agree in type and shape. */
  private static Value stack(List<Value> values, GraphProgram body, int output) {
    if (values.isEmpty()) {
      return emptyScan(body, output);
    }
    Value first = values.get(0);
    long[] shape = new long[first.rank() + 1];
    shape[0] = values.size();
    System.arraycopy(first.shapeRef(), 0, shape, 1, first.rank());
    int chunk = first.size();
    for (int i = 1; i < values.size(); i++) {
      Value v = values.get(i);
      if (v.type() != first.type() || !java.util.Arrays.equals(v.shapeRef(), first.shapeRef())) {
        throw new IllegalArgumentException("scan output " + body.outputNames().get(output) + " is " + v.type()
            + Shapes.str(v.shapeRef()) + " at iteration " + i + " but " + first.type() + Shapes.str(first.shapeRef())
            + " at iteration 0");
      }
    }
    if (first.type().isFloating()) {
      double[] d = new double[chunk * values.size()];
      for (int i = 0; i < values.size(); i++) {
        System.arraycopy(values.get(i).doublesRef(), 0, d, i * chunk, chunk);
      }
      return Value.wrapDoubles(first.type(), shape, d);
    }
    long[] l = new long[chunk * values.size()];
    for (int i = 0; i < values.size(); i++) {
      System.arraycopy(values.get(i).longsRef(), 0, l, i * chunk, chunk);
    }
    return Value.wrapLongs(first.type(), shape, l);
  }

  private static Value emptyScan(GraphProgram body, int output) {
    ValueInfoProto info = body.outputInfo(output);
    TypeProto.Tensor t = info.getType().getTensorType();
    if (t.getElemType() == 0) {
      throw new IllegalArgumentException("scan output " + info.getName() + " of zero iterations has no declared type");
    }
    DataType type = DataType.fromOnnx(t.getElemType());
    long[] shape = new long[t.getShape().getDimCount() + 1];
    for (int i = 0; i < t.getShape().getDimCount(); i++) {
      TensorShapeProto.Dimension d = t.getShape().getDim(i);
      shape[i + 1] = d.hasDimValue() ? d.getDimValue() : 0;
    }
    return type.isFloating() ? Value.wrapDoubles(type, shape, new double[0]) : Value.wrapLongs(type, shape, new long[0]);
  }
}

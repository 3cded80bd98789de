package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Every variable of a training graph (parameters, optimiser slots, Adam's power accumulators), in
 * name order, with one assign op each: what a checkpoint holds and restores. Built after the
 * optimiser, so that its slots are included.
 */
final class VariableStore {

  private final List<GraphOperation> variables = new ArrayList<>();
  private final List<Placeholder<TFloat32>> values = new ArrayList<>();
  private final List<Op> assigns = new ArrayList<>();

  VariableStore(Graph graph, Ops tf) {
    var ops = graph.operations();
    while (ops.hasNext()) {
      GraphOperation op = ops.next();
      if (op.type().equals("VariableV2")) {
        variables.add(op);
      }
    }
    variables.sort((a, b) -> a.name().compareTo(b.name()));
    Ops restore = tf.withSubScope("restore");
    for (GraphOperation v : variables) {
      Output<TFloat32> ref = v.output(0);
      Placeholder<TFloat32> value = restore.placeholder(TFloat32.class);
      values.add(value);
      assigns.add(restore.assign(ref, value));
    }
  }

  /** Every variable's value, by op name. */
  Weights read(Session session) {
    Session.Runner runner = session.runner();
    variables.forEach(v -> runner.fetch(v.output(0)));
    Map<String, FloatTensor> out = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < variables.size(); i++) {
        out.put(variables.get(i).name(), TfTensors.fromNative((TFloat32) result.get(i)));
      }
    }
    return new Weights(out);
  }

  /** Sets every variable, refusing values that lack one or hold others. */
  void restore(Session session, Weights checkpoint, String source) {
    List<String> problems = new ArrayList<>();
    for (GraphOperation v : variables) {
      if (!checkpoint.contains(v.name())) {
        problems.add("lacks variable '" + v.name() + "'");
      }
    }
    if (checkpoint.tensors().size() != variables.size()) {
      problems.add("holds " + checkpoint.tensors().size() + " variables, the graph " + variables.size());
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("checkpoint " + source + " does not fit this graph: " + String.join("; ", problems));
    }
    List<TFloat32> feeds = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < variables.size(); i++) {
        TFloat32 t = TfTensors.toNative(checkpoint.get(variables.get(i).name()));
        feeds.add(t);
        runner.feed(values.get(i), t).addTarget(assigns.get(i));
      }
      runner.run().close();
    } finally {
      feeds.forEach(TFloat32::close);
    }
  }
}

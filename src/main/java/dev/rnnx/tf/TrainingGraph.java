package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One training graph and its session, for any {@link TrainingTask}: the task's inputs, the
 * parameters as variables in the canonical layout set to the initial weights, the task's loss, the
 * optimiser with its clipping, and every variable in a {@link VariableStore} for checkpoints.
 * Steps and evaluations feed the task's batches; the validation set is fed in chunks of
 * {@link #EVAL_CHUNK} examples, built once.
 */
final class TrainingGraph implements AutoCloseable {

  /** Examples per session run when evaluating a set. */
  static final int EVAL_CHUNK = 1024;

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final TrainingTask task;
  final Map<String, Variable<TFloat32>> parameters = new LinkedHashMap<>();
  final TfLosses.Parts parts;
  final Op minimize;
  final VariableStore variables;
  final Session session;
  private final Map<Integer, TrainingTask.Batch> batches = new LinkedHashMap<>();
  private final List<TrainingTask.Batch> validationChunks = new ArrayList<>();

  TrainingGraph(TrainingTask task, TrainingSpec training, Weights initial) {
    this.task = task;
    Session opened = null;
    try {
      task.inputs(tf);
      for (ParameterSpec p : task.model().parameters()) {
        parameters.put(p.name(), TfNames.variable(tf, p.name()).variable(TfTensors.constant(tf, initial.get(p.name()))));
      }
      parts = task.loss(tf, TfParameters.of(parameters));
      minimize = TfOptimizers.minimize(graph, tf, training.optimizer(), training.learningRate(), training.clipping(), parts.loss(),
          "train");
      variables = new VariableStore(graph, tf);
      opened = TfSessions.open(graph, task.session());
      opened.initialize();
      session = opened;
    } catch (RuntimeException | Error e) {
      if (opened != null) {
        opened.close(); // a graph waits for its sessions to close
      }
      graph.close();
      throw e;
    }
  }

  /** A runner of one optimisation step on a filled batch, fetching the loss (then the metric sums, if any). */
  Session.Runner stepRunner(TrainingTask.Batch batch) {
    Session.Runner runner = batch.feed(session.runner()).fetch(parts.loss()).addTarget(minimize);
    if (task.metrics()) {
      runner.fetch(parts.correct()).fetch(parts.counted()).fetch(parts.exact());
    }
    return runner;
  }

  /** One optimisation step on training examples {@code order[from … from+size)}: the loss before the update and the metric sums. */
  TrainingLoop.Step step(int epoch, int step, int[] order, int from, int size) {
    TrainingTask.Batch batch = batches.computeIfAbsent(size, task::batch);
    batch.fillTraining(order, from, epoch, step);
    try (Result r = stepRunner(batch).run()) {
      TrainingLoop.Sums sums = task.metrics() ? new TrainingLoop.Sums(0, 0, ((TFloat32) r.get(1)).getFloat(),
          ((TFloat32) r.get(2)).getFloat(), ((TFloat32) r.get(3)).getFloat(), size) : TrainingLoop.Sums.ZERO;
      return new TrainingLoop.Step(((TFloat32) r.get(0)).getFloat(), sums);
    }
  }

  /** The validation set's sums, one session run per chunk. */
  TrainingLoop.Sums evaluate() {
    int n = task.validationSize();
    if (validationChunks.isEmpty() && n > 0) {
      int[] identity = new int[n];
      Arrays.setAll(identity, i -> i);
      for (int from = 0; from < n; from += EVAL_CHUNK) {
        TrainingTask.Batch chunk = task.batch(Math.min(EVAL_CHUNK, n - from));
        validationChunks.add(chunk);
        chunk.fillValidation(identity, from);
      }
    }
    boolean metrics = task.metrics();
    TrainingLoop.Sums sums = TrainingLoop.Sums.ZERO;
    for (TrainingTask.Batch chunk : validationChunks) {
      Session.Runner runner = chunk.feed(session.runner()).fetch(parts.lossSum()).fetch(parts.lossCount());
      if (metrics) {
        runner.fetch(parts.correct()).fetch(parts.counted()).fetch(parts.exact());
      }
      try (Result r = runner.run()) {
        sums = sums.plus(new TrainingLoop.Sums(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
            metrics ? ((TFloat32) r.get(2)).getFloat() : 0, metrics ? ((TFloat32) r.get(3)).getFloat() : 0,
            metrics ? ((TFloat32) r.get(4)).getFloat() : 0, chunk.size()));
      }
    }
    return sums;
  }

  /** Every graph variable by name (for checkpoints). */
  Weights readVariables() {
    return variables.read(session);
  }

  /** Sets every variable from a checkpoint, refusing one that does not fit. */
  void restore(Weights values, String source) {
    variables.restore(session, values, source);
  }

  /** The model's parameters, canonical names and order. */
  Weights readParameters() {
    Session.Runner runner = session.runner();
    List<String> names = new ArrayList<>(parameters.keySet());
    names.forEach(name -> runner.fetch(parameters.get(name)));
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        tensors.put(names.get(i), TfTensors.fromNative((TFloat32) result.get(i)));
      }
    }
    return task.trained(new Weights(tensors));
  }

  /** Metrics computed once per epoch from the parameters. */
  Map<String, Double> epochMetrics() {
    return task.epochMetrics(this::readParameters);
  }

  @Override
  public void close() {
    batches.values().forEach(TrainingTask.Batch::close);
    validationChunks.forEach(TrainingTask.Batch::close);
    try {
      session.close();
    } finally {
      graph.close();
    }
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A built forward graph with its open session and serving signature, shared by the forms of this
 * package ({@link TfServingModel}, {@link TfGraphForm}): runs it from Java tensors to float
 * tensors under a read lock, exports it as a SavedModel, and closes it once, waiting for running
 * calls. What inputs a form accepts is the form's own check, run inside the lock before any feed.
 */
final class LiveGraph implements AutoCloseable {

  private final String what;
  private final Graph graph;
  private final Session session;
  private final Signature signature;
  private final List<TensorSpec> inputs;
  private final List<Operand<?>> placeholders;
  private final List<TensorSpec> outputs;
  private final List<Operand<?>> fetches;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /**
   * @param what how messages name the graph, e.g. {@code form 'encoder' of model 'dates'}
   * @param placeholders one per input spec, in order
   * @param fetches one per output spec, in order
   */
  LiveGraph(String what, Graph graph, Signature signature, List<TensorSpec> inputs, List<Operand<?>> placeholders,
      List<TensorSpec> outputs, List<Operand<?>> fetches) {
    this.what = what;
    this.graph = graph;
    this.session = TfSessions.open(graph);
    this.signature = signature;
    this.inputs = List.copyOf(inputs);
    this.placeholders = List.copyOf(placeholders);
    this.outputs = List.copyOf(outputs);
    this.fetches = List.copyOf(fetches);
  }

  /** A placeholder for an input spec, named after it, with its static shape. */
  static Operand<?> placeholder(Ops tf, TensorSpec spec) {
    org.tensorflow.ndarray.Shape shape = org.tensorflow.ndarray.Shape.of(
        Arrays.stream(spec.shape().dims()).asLongStream().toArray());
    Ops named = tf.withName(spec.name());
    return switch (spec.dtype()) {
      case FLOAT32 -> named.placeholder(TFloat32.class, Placeholder.shape(shape));
      case INT64 -> named.placeholder(TInt64.class, Placeholder.shape(shape));
      case INT32 -> named.placeholder(TInt32.class, Placeholder.shape(shape));
    };
  }

  /**
   * Checks the inputs with {@code check}, then runs the graph.
   *
   * @return every output by spec name, in spec order
   * @throws IllegalStateException after {@link #close()}
   */
  Map<String, FloatTensor> run(Map<String, ? extends Tensor> given, Consumer<Map<String, ? extends Tensor>> check) {
    lock.readLock().lock();
    try {
      checkOpen();
      check.accept(given);
      List<org.tensorflow.Tensor> feeds = new ArrayList<>();
      try {
        Session.Runner runner = session.runner();
        for (int i = 0; i < inputs.size(); i++) {
          TensorSpec spec = inputs.get(i);
          Tensor t = given.get(spec.name());
          org.tensorflow.Tensor fed = switch (spec.dtype()) {
            case FLOAT32 -> TfTensors.toNative((FloatTensor) t);
            case INT64 -> TfTensors.toInt64((LongTensor) t);
            case INT32 -> TfTensors.toInt32((LongTensor) t);
          };
          feeds.add(fed);
          runner.feed(placeholders.get(i), fed);
        }
        fetches.forEach(runner::fetch);
        try (Result result = runner.run()) {
          Map<String, FloatTensor> out = new LinkedHashMap<>();
          for (int i = 0; i < outputs.size(); i++) {
            out.put(outputs.get(i).name(), floats(result.get(i)));
          }
          return out;
        }
      } finally {
        feeds.forEach(org.tensorflow.Tensor::close);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A float copy of an output; integers become floats holding the same values. */
  static FloatTensor floats(org.tensorflow.Tensor t) {
    if (t instanceof TFloat32 f) {
      return TfTensors.fromNative(f);
    }
    long[] shape = t.shape().asArray();
    int n = Math.toIntExact(t.shape().size());
    float[] v = new float[n];
    if (t instanceof TInt64 l) {
      long[] data = new long[n];
      l.copyTo(DataBuffers.of(data, false, false));
      for (int i = 0; i < n; i++) {
        v[i] = data[i];
      }
    } else if (t instanceof TInt32 l) {
      int[] data = new int[n];
      l.copyTo(DataBuffers.of(data, false, false));
      for (int i = 0; i < n; i++) {
        v[i] = data[i];
      }
    } else {
      throw new IllegalStateException("unexpected output type " + t.dataType());
    }
    return new FloatTensor(shape, v);
  }

  /**
   * Writes the graph as a SavedModel (tag {@value TfServingModel#TAG}) with
   * {@value Provenance#SAVED_MODEL_FILE} beside {@code saved_model.pb}, built as a temporary
   * sibling and moved into place, replacing any previous one.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  void exportSavedModel(Path dir, Provenance provenance) throws IOException {
    if (provenance == null) {
      throw new IllegalArgumentException("a SavedModel export needs provenance");
    }
    lock.readLock().lock();
    try {
      checkOpen();
      Path tmp = AtomicFiles.tempSibling(dir);
      try {
        SavedModelBundle.exporter(tmp.toString()).withTags(TfServingModel.TAG).withSession(session).withSignature(signature).export();
        Files.writeString(tmp.resolve(Provenance.SAVED_MODEL_FILE), TfServingModel.provenanceJson(provenance));
        AtomicFiles.move(tmp, dir);
      } finally {
        AtomicFiles.deleteTree(tmp);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Closes the session and the graph; later calls throw {@link IllegalStateException}. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        try {
          session.close();
        } finally {
          graph.close();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(what + " is closed");
    }
  }
}

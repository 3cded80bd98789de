package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
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
 * A form's forward-only graph with the weights as constants, its session and its signature: one
 * placeholder per input of {@link ModelForm#inputs()} (named as the input, its declared type and
 * shape), one identity per output (named as the output). Inputs are checked in Java first
 * ({@link FormInputs} and the model's own check).
 */
final class TfGraphForm implements TfForm {

  /** Builds the form's outputs from its inputs. */
  @FunctionalInterface
  interface Body {
    /**
     * @param inputs the placeholders by input name
     * @return every output of the form by name (float32, or int64 for integer outputs)
     */
    Map<String, Operand<?>> build(Graph graph, Ops tf, Map<String, Operand<?>> inputs);
  }

  private final String modelName;
  private final ModelForm form;
  private final FormInputs.Check check;
  private final Graph graph;
  private final Session session;
  private final Signature signature;
  private final List<Operand<?>> placeholders;
  private final List<Operand<?>> outputs;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private TfGraphForm(String modelName, ModelForm form, FormInputs.Check check, Graph graph, Session session, Signature signature,
      List<Operand<?>> placeholders, List<Operand<?>> outputs) {
    this.placeholders = placeholders;
    this.outputs = outputs;
    this.modelName = modelName;
    this.form = form;
    this.check = check;
    this.graph = graph;
    this.session = session;
    this.signature = signature;
  }

  /**
   * Builds a form's graph and opens its session.
   *
   * @param check the model's checks beyond names, types and static shapes
   */
  static TfGraphForm build(String modelName, ModelForm form, FormInputs.Check check, Body body) {
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Signature.Builder signature = Signature.builder().key(TfServingModel.SIGNATURE_KEY);
      Map<String, Operand<?>> inputs = new LinkedHashMap<>();
      for (TensorSpec spec : form.inputs()) {
        org.tensorflow.ndarray.Shape shape = org.tensorflow.ndarray.Shape.of(
            Arrays.stream(spec.shape().dims()).asLongStream().toArray());
        Ops named = tf.withName(spec.name());
        Operand<?> placeholder = switch (spec.dtype()) {
          case FLOAT32 -> named.placeholder(TFloat32.class, Placeholder.shape(shape));
          case INT64 -> named.placeholder(TInt64.class, Placeholder.shape(shape));
          case INT32 -> named.placeholder(TInt32.class, Placeholder.shape(shape));
        };
        signature.input(spec.name(), placeholder);
        inputs.put(spec.name(), placeholder);
      }
      Map<String, Operand<?>> built = body.build(graph, tf, inputs);
      List<Operand<?>> outputs = new ArrayList<>();
      for (TensorSpec spec : form.outputs()) {
        Operand<?> out = built.get(spec.name());
        if (out == null) {
          throw new IllegalStateException("form '" + form.name() + "' built no output '" + spec.name() + "'");
        }
        Class<?> want = switch (spec.dtype()) {
          case FLOAT32 -> TFloat32.class;
          case INT64 -> TInt64.class;
          case INT32 -> TInt32.class;
        };
        if (out.asOutput().type() != want) {
          throw new IllegalStateException("form '" + form.name() + "' output '" + spec.name() + "' is " + out.asOutput().dataType());
        }
        // an input may share the output's name (a decoder step's states): ops get unique names,
        // the signature keeps the form's names
        Operand<?> named = tf.withName(spec.name()).identity(out);
        outputs.add(named);
        signature.output(spec.name(), named);
      }
      return new TfGraphForm(modelName, form, check, graph, TfSessions.open(graph), signature.build(),
          List.copyOf(inputs.values()), outputs);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  @Override
  public ModelForm form() {
    return form;
  }

  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    lock.readLock().lock();
    try {
      checkOpen();
      FormInputs.check(modelName, form, inputs);
      check.check(inputs);
      List<org.tensorflow.Tensor> feeds = new ArrayList<>();
      try {
        Session.Runner runner = session.runner();
        for (int i = 0; i < form.inputs().size(); i++) {
          TensorSpec spec = form.inputs().get(i);
          Tensor t = inputs.get(spec.name());
          org.tensorflow.Tensor fed = switch (spec.dtype()) {
            case FLOAT32 -> TfTensors.toNative((FloatTensor) t);
            case INT64 -> TfTensors.toInt64((LongTensor) t);
            case INT32 -> TfTensors.toInt32((LongTensor) t);
          };
          feeds.add(fed);
          runner.feed(placeholders.get(i), fed);
        }
        outputs.forEach(runner::fetch);
        try (Result result = runner.run()) {
          Map<String, FloatTensor> out = new LinkedHashMap<>();
          for (int i = 0; i < form.outputs().size(); i++) {
            out.put(form.outputs().get(i).name(), floats(result.get(i)));
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

  @Override
  public void exportSavedModel(Path dir, Provenance provenance) throws IOException {
    if (provenance == null) {
      throw new IllegalArgumentException("a SavedModel export needs provenance");
    }
    lock.readLock().lock();
    try {
      checkOpen();
      Path tmp = AtomicFiles.tempSibling(dir);
      try {
        SavedModelBundle.exporter(tmp.toString()).withTags(TfServingModel.TAG).withSession(session).withSignature(signature).export();
        Files.writeString(tmp.resolve(TfServingModel.PROVENANCE_FILE), TfServingModel.provenanceJson(provenance));
        AtomicFiles.move(tmp, dir);
      } finally {
        AtomicFiles.deleteTree(tmp);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

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
      throw new IllegalStateException("form '" + form.name() + "' of model '" + modelName + "' is closed");
    }
  }
}

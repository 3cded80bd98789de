package dev.rnnx.tf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.AtomicFiles;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A model as a live TensorFlow session: the {@code tf-java} backend. The graph is forward-only,
 * holds the weights as constants, and runs the recurrence in a {@code whileLoop}, so it accepts any
 * batch size and any sequence length of at least one step. {@link #exportSavedModel} writes the
 * same graph as a SavedModel.
 *
 * <p>Thread-safe: {@link #run} may be called concurrently; {@link #close} waits for running calls.
 */
public final class TfServingModel implements AutoCloseable {

  /** The signature key of the exported SavedModel. */
  public static final String SIGNATURE_KEY = "serving_default";
  /** The SavedModel tag. */
  public static final String TAG = "serve";
  /** The provenance file written inside the SavedModel folder, beside {@code saved_model.pb}. */
  public static final String PROVENANCE_FILE = "rnnx-provenance.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Sequential model;
  private final Graph graph;
  private final Session session;
  private final Signature signature;
  private final List<String> outputNames;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private TfServingModel(Sequential model, Graph graph, Session session, Signature signature) {
    this.model = model;
    this.graph = graph;
    this.session = session;
    this.signature = signature;
    this.outputNames = model.outputs().stream().map(TensorSpec::name).toList();
  }

  /**
   * Builds the serving graph of a model with its weights.
   *
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public static TfServingModel build(Sequential model, Weights weights) {
    weights.checkFits(model);
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.withName(Sequential.INPUT).placeholder(TFloat32.class,
          Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, -1, model.inputFeatures())));
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        constants.put(p.name(), TfTensors.constant(TfNames.named(tf, p.name()), weights.get(p.name())));
      }
      TfParameters params = TfParameters.of(constants);
      List<Shape> inputShapes = model.layerInputShapes();
      Operand<TFloat32> value = input;
      List<Operand<TFloat32>> outputs = List.of();
      for (int i = 0; i < model.layers().size(); i++) {
        Layer layer = model.layers().get(i);
        outputs = TfLayers.builder(layer.kind()).serving(graph, tf, layer, inputShapes.get(i), value, params);
        value = outputs.get(0);
      }
      Signature.Builder signature = Signature.builder().key(SIGNATURE_KEY).input(Sequential.INPUT, input);
      List<TensorSpec> specs = model.outputs();
      for (int i = 0; i < specs.size(); i++) {
        signature.output(specs.get(i).name(), tf.withName(specs.get(i).name()).identity(outputs.get(i)));
      }
      Signature built = signature.build();
      return new TfServingModel(model, graph, TfSessions.open(graph), built);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** The model this session serves. */
  public Sequential model() {
    return model;
  }

  /**
   * Runs the model.
   *
   * @param inputs exactly one entry, {@code "input"}: {@code [batch, time, features]}, finite values
   * @return the outputs named as {@link Sequential#outputs()}, in that order
   * @throws IllegalArgumentException when the input is missing, misshapen or not finite
   * @throws IllegalStateException after {@link #close()}
   */
  public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) {
    lock.readLock().lock();
    try {
      checkOpen();
      FloatTensor x = validate(inputs);
      try (TFloat32 tensor = TfTensors.toNative(x)) {
        Session.Runner runner = session.runner().feed(Sequential.INPUT, tensor);
        outputNames.forEach(runner::fetch);
        try (Result result = runner.run()) {
          Map<String, FloatTensor> out = new LinkedHashMap<>();
          for (int i = 0; i < outputNames.size(); i++) {
            out.put(outputNames.get(i), TfTensors.fromNative((TFloat32) result.get(i)));
          }
          return out;
        }
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Writes the serving graph as a SavedModel (tag {@value #TAG}, signature {@value #SIGNATURE_KEY},
   * input {@code input [-1, -1, features]}, outputs as {@link Sequential#outputs()}) with
   * {@value #PROVENANCE_FILE} beside {@code saved_model.pb}. The folder is built as a temporary
   * sibling and moved into place, replacing any previous one.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public void exportSavedModel(Path dir, Provenance provenance) throws IOException {
    if (provenance == null) {
      throw new IllegalArgumentException("a SavedModel export needs provenance");
    }
    lock.readLock().lock();
    try {
      checkOpen();
      Path tmp = AtomicFiles.tempSibling(dir);
      try {
        SavedModelBundle.exporter(tmp.toString()).withTags(TAG).withSession(session).withSignature(signature).export();
        Files.writeString(tmp.resolve(PROVENANCE_FILE), provenanceJson(provenance));
        AtomicFiles.move(tmp, dir);
      } finally {
        AtomicFiles.deleteTree(tmp);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The provenance record's fields plus its flat {@code metadata} pairs, as JSON. */
  static String provenanceJson(Provenance provenance) throws IOException {
    ObjectNode node = JSON.valueToTree(provenance);
    node.set("metadata", JSON.valueToTree(provenance.toMetadata()));
    return JSON.writeValueAsString(node);
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
      throw new IllegalStateException("TfServingModel of model '" + model.name() + "' is closed");
    }
  }

  private FloatTensor validate(Map<String, FloatTensor> inputs) {
    List<String> expected = List.of(Sequential.INPUT);
    if (inputs == null || !inputs.containsKey(Sequential.INPUT) || inputs.get(Sequential.INPUT) == null) {
      throw new IllegalArgumentException("model '" + model.name() + "' needs input '" + Sequential.INPUT + "', got "
          + (inputs == null ? "none" : inputs.keySet()) + "; expected inputs " + expected);
    }
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("model '" + model.name() + "' got inputs " + inputs.keySet()
          + ", expected exactly " + expected);
    }
    FloatTensor x = inputs.get(Sequential.INPUT);
    String what = "input '" + Sequential.INPUT + "' of model '" + model.name() + "' has shape " + x.shapeString();
    if (x.rank() != 3) {
      throw new IllegalArgumentException(what + ", expected rank 3 (batch, time, " + model.inputFeatures() + ")");
    }
    if (x.dim(2) != model.inputFeatures()) {
      throw new IllegalArgumentException(what + ", expected " + model.inputFeatures() + " features on the last axis");
    }
    if (x.dim(0) < 1 || x.dim(1) < 1) {
      throw new IllegalArgumentException(what + ", expected a batch of at least 1 and at least 1 time step");
    }
    float[] data = x.data();
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        throw new IllegalArgumentException("input '" + Sequential.INPUT + "' holds " + data[i] + " at flat index " + i
            + ", expected finite values");
      }
    }
    return x;
  }
}

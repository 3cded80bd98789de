package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model's {@code stream} form ({@link StreamForm}) as a live TensorFlow session, built like
 * {@link TfServingModel} from the layers' serving builders, each recurrent layer reading its state
 * input and returning its final state; {@link #exportSavedModel} writes it as a SavedModel for DJL's
 * TensorFlow engine. Thread-safe.
 */
public final class TfStreamForm implements TfForm {

  private final StreamForm stream;
  private final LiveGraph live;

  private TfStreamForm(StreamForm stream, LiveGraph live) {
    this.stream = stream;
    this.live = live;
  }

  /**
   * Builds the stream form of a model with its weights.
   *
   * @throws IllegalArgumentException when the model cannot stream or the weights do not fit it
   */
  public static TfStreamForm build(Sequential model, Weights weights) {
    StreamForm stream = StreamForm.of(model);
    weights.checkFits(model);
    Graph graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      Signature.Builder signature = Signature.builder().key(TfServingModel.SIGNATURE_KEY);
      Operand<?> input = null;
      Operand<TInt32> lengths = null;
      Map<String, Operand<TFloat32>> states = new LinkedHashMap<>();
      List<Operand<?>> placeholders = new ArrayList<>();
      for (TensorSpec spec : stream.form().inputs()) {
        Operand<?> placeholder = LiveGraph.placeholder(tf, spec);
        placeholders.add(placeholder);
        signature.input(spec.name(), placeholder);
        if (spec.name().equals(Sequential.INPUT)) {
          input = placeholder;
        } else if (spec.name().equals(Sequential.LENGTHS)) {
          lengths = placeholder.asOutput().expect(TInt32.class);
        } else {
          states.put(spec.name(), placeholder.asOutput().expect(TFloat32.class));
        }
      }
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        constants.put(p.name(), TfTensors.constant(TfNames.named(tf, p.name()), weights.get(p.name())));
      }
      LayerContext ctx = LayerContext.serving(graph, tf, TfParameters.of(constants), lengths, states);
      List<Shape> inputShapes = model.layerInputShapes();
      Operand<?> value = input;
      Map<String, Operand<TFloat32>> results = new LinkedHashMap<>();
      for (int i = 0; i < stream.layers().size(); i++) {
        Layer layer = stream.layers().get(i);
        List<Operand<TFloat32>> outputs = TfLayers.builder(layer.kind()).serving(ctx, layer, inputShapes.get(i), value);
        if (layer instanceof RecurrentLayer r) {
          for (int s = 0; s < r.states().size(); s++) {
            results.put(StreamForm.stateOutputName(r, r.states().get(s)), outputs.get(s + 1));
          }
        }
        value = outputs.get(0);
        if (i == stream.layers().size() - 1) {
          results.put("output", outputs.get(0));
        }
      }
      List<TensorSpec> specs = stream.form().outputs();
      List<Operand<?>> fetches = new ArrayList<>();
      for (TensorSpec spec : specs) {
        Operand<?> named = tf.withName(spec.name()).identity(results.get(spec.name()));
        fetches.add(named);
        signature.output(spec.name(), named);
      }
      LiveGraph live = new LiveGraph("stream form of model '" + model.name() + "'", graph, signature.build(),
          stream.form().inputs(), placeholders, specs, fetches);
      return new TfStreamForm(stream, live);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  @Override
  public ModelForm form() {
    return stream.form();
  }

  /**
   * Runs one chunk: every input of the stream form, checked by its contract before any native call.
   *
   * @throws IllegalArgumentException when the inputs do not fit the form
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    return live.run(inputs, stream.form().contract()::check);
  }

  @Override
  public void exportSavedModel(Path dir, Provenance provenance) throws IOException {
    live.exportSavedModel(dir, provenance);
  }

  @Override
  public void close() {
    live.close();
  }
}

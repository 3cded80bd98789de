package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A model's {@code stream} form ({@link StreamForm}) as a live TensorFlow session ({@link
 * TfGraphForm}): the layers' serving builders of the {@code model} form ({@link TfServingModel}),
 * each recurrent layer reading its state input and {@code lengths}, and returning its final state.
 * {@link TfForm#exportSavedModel} writes it as a SavedModel for DJL's TensorFlow engine
 * ({@code saved_model_stream/} in a run folder, docs/STREAMING.md). Thread-safe.
 *
 * <pre>{@code
 * try (TfForm stream = TfStreamForm.build(model, weights)) {
 *   stream.exportSavedModel(runDir.resolve("saved_model_stream"), provenance);
 * }
 * }</pre>
 */
public final class TfStreamForm {

  private TfStreamForm() {}

  /**
   * Builds the stream form of a model with its weights.
   *
   * @throws IllegalArgumentException when the model cannot stream or the weights do not fit it
   */
  public static TfForm build(Sequential model, Weights weights) {
    StreamForm stream = StreamForm.of(model);
    weights.checkFits(model);
    return TfGraphForm.build(model.name(), stream.form(), (graph, tf, inputs) -> {
      Map<String, Operand<TFloat32>> states = new LinkedHashMap<>();
      stream.stateInputs().forEach(n -> states.put(n, inputs.get(n).asOutput().expect(TFloat32.class)));
      Operand<TInt32> lengths = inputs.get(Sequential.LENGTHS).asOutput().expect(TInt32.class);
      Map<String, Operand<TFloat32>> constants = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        constants.put(p.name(), TfTensors.constant(TfNames.named(tf, p.name()), weights.get(p.name())));
      }
      LayerContext ctx = LayerContext.serving(graph, tf, TfParameters.of(constants), lengths, states);
      List<Shape> inputShapes = model.layerInputShapes();
      Operand<?> value = inputs.get(Sequential.INPUT);
      Map<String, Operand<?>> results = new LinkedHashMap<>();
      for (int i = 0; i < stream.layers().size(); i++) {
        Layer layer = stream.layers().get(i);
        List<Operand<TFloat32>> outputs = TfLayers.builder(layer.kind()).serving(ctx, layer, inputShapes.get(i), value);
        if (layer instanceof RecurrentLayer r) {
          for (int s = 0; s < r.states().size(); s++) {
            results.put(StreamForm.stateOutputName(r, r.states().get(s)), outputs.get(s + 1));
          }
        }
        value = outputs.get(0);
      }
      results.put("output", value);
      return results;
    });
  }
}

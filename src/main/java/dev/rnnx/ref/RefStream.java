package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.StreamForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference of a model's {@code stream} form ({@link StreamForm}) in double precision: the
 * layers' reference forwards of the {@code model} form, each recurrent layer starting from its
 * state input and returning its final state. Stateless and thread-safe.
 */
public final class RefStream implements ReferenceForm {

  private final StreamForm stream;
  private final Weights weights;

  /**
   * @throws IllegalArgumentException when the model cannot stream or the weights do not fit it
   */
  public RefStream(Sequential model, Weights weights) {
    this.stream = StreamForm.of(model);
    this.weights = weights.checkFits(model);
  }

  /** The form it computes. */
  public StreamForm stream() {
    return stream;
  }

  /**
   * Runs one chunk.
   *
   * @param inputs every input of the stream form: {@code input}, {@code lengths}, each state
   * @return {@code output}, then each recurrent layer's final state
   * @throws IllegalArgumentException when the inputs do not fit the form's contract
   */
  @Override
  public Map<String, DoubleTensor> forward(Map<String, ? extends Tensor> inputs) {
    stream.form().contract().check(inputs);
    Tensor main = inputs.get(Sequential.INPUT);
    DoubleTensor x = main instanceof LongTensor ids ? DoubleTensor.of(ids) : DoubleTensor.of((FloatTensor) main);
    int[] lengths = ((LongTensor) inputs.get(Sequential.LENGTHS)).toIntArray();
    Map<String, DoubleTensor> states = new LinkedHashMap<>();
    for (Layer layer : stream.layers()) {
      Map<String, DoubleTensor> initial = new LinkedHashMap<>();
      for (String s : layer.stateInputNames()) {
        initial.put(s, DoubleTensor.of((FloatTensor) inputs.get(Sequential.stateInputName(layer, s))));
      }
      List<DoubleTensor> outputs = RefLayers.forward(layer).forward(layer, new RefInput(x, lengths, initial), weights, null);
      if (layer instanceof RecurrentLayer r) {
        for (int i = 0; i < r.states().size(); i++) {
          states.put(StreamForm.stateOutputName(r, r.states().get(i)), outputs.get(i + 1));
        }
      }
      x = outputs.get(0);
    }
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    out.put("output", x);
    out.putAll(states);
    return out;
  }
}

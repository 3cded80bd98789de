package dev.rnnx.ref;

import dev.rnnx.spec.Layer;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The double-precision forward of one layer kind.
 *
 * <p>The plain path passes {@code null} for {@code sink} and computes only the layer's outputs.
 * A caller that wants to see inside a layer (the parity verifier, to find the first diverging
 * step, gate or sub-layer) passes a {@link TraceSink}: a recurrent forward appends one
 * {@link RecurrentTrace} per direction it runs (one for an RNN, forward then backward for a
 * bidirectional layer), holding every step's states and gate activations; an attention forward
 * records its attention weights, a Transformer block each sub-layer's output.
 *
 * @param <L> the layer record it computes
 */
@FunctionalInterface
public interface RefForward<L extends Layer> {

  /**
   * Computes the layer's outputs, main output first, then any states, as {@link Layer#outputShapes}
   * and {@link Layer#outputNames} list them.
   *
   * @param layer the layer
   * @param input its input, lengths and initial states
   * @param weights the model's weights, canonical layout
   * @param sink receives the layer's internals; {@code null} to skip them
   * @throws IllegalArgumentException when the input or the weights do not fit the layer
   */
  List<DoubleTensor> forward(L layer, RefInput input, Weights weights, TraceSink sink);

  /** The plain path: outputs only. */
  default List<DoubleTensor> forward(L layer, RefInput input, Weights weights) {
    return forward(layer, input, weights, null);
  }
}

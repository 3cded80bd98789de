package dev.rnnx.ref;

import dev.rnnx.spec.Layer;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The double-precision forward of one layer kind.
 *
 * @param <L> the layer record it computes
 */
@FunctionalInterface
public interface RefForward<L extends Layer> {

  /**
   * Computes the layer's outputs, main output first, then any states, as {@link Layer#outputShapes}
   * lists them.
   */
  List<DoubleTensor> forward(L layer, DoubleTensor input, Weights weights);
}

package dev.rnnx.onnx;

import dev.rnnx.spec.Flatten;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * {@link Flatten}: {@code Reshape(x, [0, steps·d])} (0 keeps the batch axis), so an input of
 * another length fails the Reshape (its element count differs) instead of folding rows together.
 */
final class FlattenConverter implements LayerConverter {

  @Override
  public void convert(Layer layer, Shape inputShape, String input, List<String> outputs, Weights weights, GraphBuilder graph) {
    Flatten f = (Flatten) layer;
    String shape = graph.int64Initializer(f.name() + "/shape", 0, (long) f.steps() * inputShape.dim(-1));
    graph.node("Reshape", f.name() + "/Reshape", List.of(input, shape), outputs);
  }
}

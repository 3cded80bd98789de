package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds one layer kind into a TensorFlow graph, on the canonical parameter layout. Registered in
 * {@link TfLayers}. Both forwards return the layer's outputs in the order of
 * {@link Layer#outputNames()} and must compute the same function.
 */
public interface TfLayerBuilder {

  /** The layer kind this builder handles, as in {@link Layer#kind()}. */
  String kind();

  /**
   * The training forward, unrolled over a fixed number of time steps so that every op has a
   * gradient.
   *
   * @param tf ops on the training graph
   * @param layer the layer, of this builder's kind
   * @param input the layer's input
   * @param params the model's parameters
   */
  List<Unrolled> unrolled(Ops tf, Layer layer, Unrolled input, TfParameters params);

  /**
   * The serving forward: any batch size and any sequence length, forward only. Outputs carry
   * static shapes with dynamic batch and time axes.
   *
   * @param graph the serving graph, for control flow
   * @param tf ops on that graph
   * @param layer the layer, of this builder's kind
   * @param inputShape the input's shape as the model spec gives it (its rank decides the path)
   * @param input the layer's input
   * @param params the model's parameters
   */
  List<Operand<TFloat32>> serving(Graph graph, Ops tf, Layer layer, Shape inputShape, Operand<TFloat32> input, TfParameters params);

  /** Casts a layer to the record this builder handles, naming both kinds when it does not fit. */
  static <L extends Layer> L expect(Layer layer, Class<L> type, String kind) {
    if (!type.isInstance(layer)) {
      throw new IllegalArgumentException("the '" + kind + "' builder got layer '" + layer.name() + "' of kind '"
          + layer.kind() + "'");
    }
    return type.cast(layer);
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Builds one layer kind into a TensorFlow graph, on the canonical parameter layout. Registered in
 * {@link TfLayers}. Both forwards return the layer's outputs in the order of
 * {@link Layer#outputNames()} and compute the same function, lengths and state inputs included.
 */
public interface TfLayerBuilder {

  /** The layer kind this builder handles, as in {@link Layer#kind()}. */
  String kind();

  /**
   * The training forward, unrolled over the context's fixed number of time steps so that every op
   * has a gradient.
   *
   * @param ctx the graph's shared context (ops, parameters, lengths and masks, state inputs)
   * @param layer the layer, of this builder's kind
   * @param inputShape the input's shape as the model spec gives it
   * @param input the layer's input
   */
  List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input);

  /**
   * The serving forward: any batch size and any sequence length, forward only. Outputs carry
   * static shapes with dynamic batch and time axes.
   *
   * @param ctx the graph's shared context
   * @param layer the layer, of this builder's kind
   * @param inputShape the input's shape as the model spec gives it (its rank decides the path)
   * @param input the layer's input: float32, or int64 token ids for an embedding
   */
  List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input);

  /** Casts a layer to the record this builder handles, naming both kinds when it does not fit. */
  static <L extends Layer> L expect(Layer layer, Class<L> type, String kind) {
    if (!type.isInstance(layer)) {
      throw new IllegalArgumentException("the '" + kind + "' builder got layer '" + layer.name() + "' of kind '"
          + layer.kind() + "'");
    }
    return type.cast(layer);
  }

  /** A float input, refusing token ids with the layer's name. */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> floats(Layer layer, Operand<?> input) {
    if (!(input.asOutput().type() == TFloat32.class)) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects float32 input, got "
          + input.asOutput().dataType());
    }
    return (Operand<TFloat32>) input;
  }
}

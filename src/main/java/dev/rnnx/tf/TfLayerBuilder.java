package dev.rnnx.tf;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Builds one layer kind into a TensorFlow graph, on the canonical parameter layout, and declares
 * everything else the package needs of that kind: its initial weights, whether it is a dense
 * classifier, whether its training step has parallel gate products. Registered in
 * {@link TfLayers}, the one table of layer kinds in this package: adding a layer kind touches its
 * builder and that table only. Both forwards return the layer's outputs in the order of
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

  /**
   * The starting values of one of the layer's parameters ({@link InitialWeights}), drawn from the
   * parameter's own random stream.
   *
   * @param layer the layer, of this builder's kind
   * @param parameter the parameter, one of {@code layer.parameters(...)}
   * @param role the last part of the parameter's name ({@code kernel}, {@code bias}, …)
   * @param random the parameter's stream
   * @throws IllegalArgumentException for a role the layer has no initializer for
   */
  float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random);

  /**
   * The dense layer this layer computes (a dense layer, or the one a time-distributed layer
   * applies at every step), whose activation decides how accuracy is judged and whose
   * pre-activation gives the logits when it is the last layer; null for other kinds.
   */
  default Dense asDense(Layer layer) {
    return null;
  }

  /**
   * Whether a training step of this layer has independent per-gate products that a second
   * inter-op thread runs side by side (the training session's settings, {@code TfSessions}).
   */
  default boolean parallelGates(Layer layer) {
    return false;
  }

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

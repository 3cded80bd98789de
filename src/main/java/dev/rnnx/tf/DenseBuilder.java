package dev.rnnx.tf;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Dense}: {@code activation(x · kernel + bias)} on the last axis; on a sequence, every time
 * step at once (one matrix product over {@code [B·T, in]}). Softmax normalises the last axis.
 */
final class DenseBuilder implements TfLayerBuilder {

  @Override
  public String kind() {
    return Dense.KIND;
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    return List.of(apply(ctx, TfLayerBuilder.expect(layer, Dense.class, kind()), inputShape, input, true));
  }

  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    Dense d = TfLayerBuilder.expect(layer, Dense.class, kind());
    return switch (role) {
      case "kernel" -> InitialWeights.sample(d.kernelInitializer(), parameter.shape(), random);
      case "bias" -> InitialWeights.sample(d.biasInitializer(), parameter.shape(), random);
      default -> throw InitialWeights.unknown(parameter, role);
    };
  }

  @Override
  public Dense asDense(Layer layer) {
    return TfLayerBuilder.expect(layer, Dense.class, kind());
  }

  /** The dense layer on an unrolled value, with its activation or without it (the logits). */
  static Unrolled apply(LayerContext ctx, Dense dense, Shape inputShape, Unrolled input, boolean activate) {
    Ops tf = ctx.tf();
    if (!input.sequence()) {
      Operand<TFloat32> y = affine(ctx, dense, input.value());
      return Unrolled.single(activate ? TfActivations.apply(tf, dense.activation(), y) : y);
    }
    int in = inputShape.dim(-1);
    int length = input.length();
    Operand<TFloat32> flat = tf.reshape(input.tensor(tf), tf.constant(new int[] {-1, in}));
    Operand<TFloat32> y = tf.reshape(affine(ctx, dense, flat), tf.constant(new int[] {-1, length, dense.units()}));
    return Unrolled.sequence(activate ? TfActivations.apply(tf, dense.activation(), y) : y, length);
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    Dense dense = TfLayerBuilder.expect(layer, Dense.class, kind());
    return List.of(servingForward(ctx, dense, inputShape, TfLayerBuilder.floats(dense, input)));
  }

  /** The serving form on a rank-2 or rank-3 input. */
  static Operand<TFloat32> servingForward(LayerContext ctx, Dense dense, Shape inputShape, Operand<TFloat32> input) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y;
    if (inputShape.rank() == 2) {
      y = GraphShapes.declare(tf, affine(ctx, dense, input), -1, dense.units());
    } else if (inputShape.rank() == 3) {
      Operand<TFloat32> flat = tf.reshape(input, tf.constant(new int[] {-1, inputShape.dim(-1)}));
      Operand<TFloat32> back = tf.reshape(affine(ctx, dense, flat), GraphShapes.dimsThen(tf, input, new int[] {0, 1}, dense.units()));
      y = GraphShapes.declare(tf, back, -1, -1, dense.units());
    } else {
      throw new IllegalArgumentException("layer '" + dense.name() + "' expects an input of rank 2 or 3, got " + inputShape);
    }
    return TfActivations.apply(tf, dense.activation(), y);
  }

  private static Operand<TFloat32> affine(LayerContext ctx, Dense dense, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    Operand<TFloat32> y = tf.linalg.matMul(x, ctx.params().get(dense.name() + "/kernel"));
    return dense.useBias() ? tf.nn.biasAdd(y, ctx.params().get(dense.name() + "/bias")) : y;
  }
}

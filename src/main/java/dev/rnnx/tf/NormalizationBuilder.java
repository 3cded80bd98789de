package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Normalization;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Normalization}: {@code (x + (−mean)) · (1/σ)}, or {@code x · σ + mean} inverted, with the
 * constants ({@link Normalization#graphConstants}) held in the graph and broadcast over the last
 * axis of any rank. No parameters.
 */
final class NormalizationBuilder implements TfLayerBuilder {

  @Override
  public String kind() {
    return Normalization.KIND;
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    Normalization n = TfLayerBuilder.expect(layer, Normalization.class, kind());
    n.outputShapes(inputShape);
    Ops tf = ctx.tf();
    if (!input.sequence()) {
      return List.of(Unrolled.single(apply(tf, n, input.value())));
    }
    return List.of(Unrolled.sequence(apply(tf, n, input.tensor(tf)), input.length()));
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    Normalization n = TfLayerBuilder.expect(layer, Normalization.class, kind());
    n.outputShapes(inputShape);
    return List.of(apply(ctx.tf(), n, TfLayerBuilder.floats(n, input)));
  }

  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    throw InitialWeights.unknown(parameter, role);
  }

  private static Operand<TFloat32> apply(Ops tf, Normalization n, Operand<TFloat32> x) {
    float[][] c = n.graphConstants();
    if (n.invert()) {
      return tf.math.add(tf.math.mul(x, tf.constant(c[1])), tf.constant(c[0]));
    }
    return tf.math.mul(tf.math.add(x, tf.constant(c[0])), tf.constant(c[1]));
  }
}

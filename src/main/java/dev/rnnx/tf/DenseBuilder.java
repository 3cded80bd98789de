package dev.rnnx.tf;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link Dense}: {@code activation(x · kernel + bias)} on the last axis, every time step of a sequence. */
final class DenseBuilder implements TfLayerBuilder {

  @Override
  public String kind() {
    return Dense.KIND;
  }

  @Override
  public List<Unrolled> unrolled(Ops tf, Layer layer, Unrolled input, TfParameters params) {
    Dense dense = TfLayerBuilder.expect(layer, Dense.class, kind());
    Operand<TFloat32> kernel = params.get(dense.name() + "/kernel");
    Operand<TFloat32> bias = dense.useBias() ? params.get(dense.name() + "/bias") : null;
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> step : input.steps()) {
      out.add(TfActivations.apply(tf, dense.activation(), affine(tf, step, kernel, bias)));
    }
    return List.of(new Unrolled(out, input.sequence()));
  }

  @Override
  public List<Operand<TFloat32>> serving(
      Graph graph, Ops tf, Layer layer, Shape inputShape, Operand<TFloat32> input, TfParameters params) {
    Dense dense = TfLayerBuilder.expect(layer, Dense.class, kind());
    Operand<TFloat32> kernel = params.get(dense.name() + "/kernel");
    Operand<TFloat32> bias = dense.useBias() ? params.get(dense.name() + "/bias") : null;
    int in = inputShape.dim(-1);
    Operand<TFloat32> y;
    if (inputShape.rank() == 2) {
      y = GraphShapes.declare(tf, affine(tf, input, kernel, bias), -1, dense.units());
    } else if (inputShape.rank() == 3) {
      Operand<TFloat32> flat = tf.reshape(input, tf.constant(new int[] {-1, in}));
      Operand<TFloat32> back = tf.reshape(affine(tf, flat, kernel, bias),
          GraphShapes.dimsThen(tf, input, new int[] {0, 1}, dense.units()));
      y = GraphShapes.declare(tf, back, -1, -1, dense.units());
    } else {
      throw new IllegalArgumentException("layer '" + dense.name() + "' expects an input of rank 2 or 3, got " + inputShape);
    }
    return List.of(TfActivations.apply(tf, dense.activation(), y));
  }

  private static Operand<TFloat32> affine(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias) {
    Operand<TFloat32> y = tf.linalg.matMul(x, kernel);
    return bias == null ? y : tf.math.add(y, bias);
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import dev.rnnx.spec.TimeDistributed;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** {@link TimeDistributed}: its dense layer, under the wrapper's parameter names, on every time step. */
final class TimeDistributedBuilder implements TfLayerBuilder {

  @Override
  public String kind() {
    return TimeDistributed.KIND;
  }

  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    return TfLayers.builder(Dense.KIND).initialValues(asDense(layer), parameter, role, random);
  }

  @Override
  public Dense asDense(Layer layer) {
    return TfLayerBuilder.expect(layer, TimeDistributed.class, TimeDistributed.KIND).asDense();
  }

  private static TimeDistributed expect(Layer layer, Shape inputShape) {
    TimeDistributed td = TfLayerBuilder.expect(layer, TimeDistributed.class, TimeDistributed.KIND);
    Layer.checkSequence(td.name(), inputShape);
    return td;
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    TimeDistributed td = expect(layer, inputShape);
    if (!input.sequence()) {
      throw new IllegalArgumentException("layer '" + td.name() + "' expects a sequence input (batch, time, features)");
    }
    return List.of(DenseBuilder.apply(ctx, td.asDense(), inputShape, input, true));
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    TimeDistributed td = expect(layer, inputShape);
    return List.of(DenseBuilder.servingForward(ctx, td.asDense(), inputShape, TfLayerBuilder.floats(td, input)));
  }
}

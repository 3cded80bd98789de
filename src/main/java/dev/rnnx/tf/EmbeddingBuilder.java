package dev.rnnx.tf;

import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * {@link Embedding}: rows of {@code embeddings [V, D]} gathered by token id, {@code [B, T]} to
 * {@code [B, T, D]}. GatherV2's C++ gradient gives a dense gradient for the embeddings. Ids are
 * checked against the vocabulary before any native call ({@link dev.rnnx.spec.InputContract}).
 */
final class EmbeddingBuilder implements TfLayerBuilder {

  @Override
  public String kind() {
    return Embedding.KIND;
  }

  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    Embedding e = TfLayerBuilder.expect(layer, Embedding.class, kind());
    if (!role.equals("embeddings")) {
      throw InitialWeights.unknown(parameter, role);
    }
    return InitialWeights.sample(e.initializer(), parameter.shape(), random);
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    Embedding e = TfLayerBuilder.expect(layer, Embedding.class, kind());
    if (!input.tokens()) {
      throw new IllegalArgumentException("layer '" + e.name() + "' expects token ids (batch, time)");
    }
    return List.of(Unrolled.sequence(lookup(ctx, e, input.ids()), input.length()));
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    Embedding e = TfLayerBuilder.expect(layer, Embedding.class, kind());
    if (input.asOutput().type() != TInt64.class) {
      throw new IllegalArgumentException("layer '" + e.name() + "' expects int64 token ids, got " + input.asOutput().dataType());
    }
    return List.of(GraphShapes.declare(ctx.tf(), lookup(ctx, e, input.asOutput().expect(TInt64.class)), -1, -1, e.outputDim()));
  }

  private static Operand<TFloat32> lookup(LayerContext ctx, Embedding e, Operand<TInt64> ids) {
    Ops tf = ctx.tf();
    return tf.gather(ctx.params().get(e.name() + "/embeddings"), ids, tf.constant(0));
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Shape;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A layer that works on a whole sequence {@code [B, T, d]} at once (no recurrence): attention,
 * layer normalisation, positional encoding, Transformer blocks, pooling. One function computes
 * both forms: the unrolled one on the sequence as one tensor with the fixed T, the serving one on
 * the run-time T; only the static shapes declared on the result differ.
 *
 * @param <L> the layer record
 */
abstract class WholeSequenceBuilder<L extends Layer> implements TfLayerBuilder {

  private final Class<L> type;
  private final String kind;

  WholeSequenceBuilder(Class<L> type, String kind) {
    this.type = type;
    this.kind = kind;
  }

  @Override
  public final String kind() {
    return kind;
  }

  /**
   * The layer's output: {@code [B, T, d']}, or {@code [B, d']} when {@link #pools()}.
   *
   * @param x the input {@code [B, T, d]}
   * @param steps T, as an int32 scalar (a constant in the unrolled form)
   * @param width d, the input's last axis
   */
  abstract Operand<TFloat32> apply(LayerContext ctx, L layer, Operand<TFloat32> x, Operand<TInt32> steps, int width);

  /** Whether the output loses the time axis. */
  boolean pools() {
    return false;
  }

  /** Keras's starting values of the attention family ({@link InitialWeights#attentionFamily}). */
  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    return InitialWeights.attentionFamily(parameter, role, random);
  }

  /** Checks what can be checked before building (e.g. a sequence longer than a table). */
  void checkLength(L layer, int length) {}

  private L expect(Layer layer, Shape inputShape) {
    L l = TfLayerBuilder.expect(layer, type, kind);
    layer.outputShapes(inputShape); // refuses a wrong rank or width with the layer's own message
    return l;
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    L l = expect(layer, inputShape);
    if (!input.sequence()) {
      throw new IllegalArgumentException("layer '" + l.name() + "' expects a sequence input (batch, time, features)");
    }
    Ops tf = ctx.tf();
    int length = input.length();
    checkLength(l, length);
    int width = inputShape.dim(-1);
    int out = layer.outputShapes(inputShape).get(0).dim(-1);
    Operand<TFloat32> y = apply(ctx, l, input.tensor(tf), tf.constant(length), width);
    if (pools()) {
      return List.of(Unrolled.single(tf.reshape(y, tf.constant(new int[] {-1, out}))));
    }
    return List.of(Unrolled.sequence(tf.reshape(y, tf.constant(new int[] {-1, length, out})), length));
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    L l = expect(layer, inputShape);
    Ops tf = ctx.tf();
    Operand<TFloat32> x = TfLayerBuilder.floats(l, input);
    int out = layer.outputShapes(inputShape).get(0).dim(-1);
    Operand<TFloat32> y = apply(ctx, l, x, AttentionOps.size(tf, x, 1), inputShape.dim(-1));
    return List.of(pools() ? GraphShapes.declare(tf, y, -1, out) : GraphShapes.declare(tf, y, -1, -1, out));
  }
}

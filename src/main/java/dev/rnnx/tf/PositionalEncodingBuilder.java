package dev.rnnx.tf;

import dev.rnnx.spec.PositionalEncoding;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link PositionalEncoding}: the input (times √d when asked) plus the first T rows of the
 * sinusoidal table, held in the graph as a {@code [max_length, d]} constant. Longer sequences are
 * refused before the graph runs ({@link TfServingModel#run}; the training graph, as it is built).
 */
final class PositionalEncodingBuilder extends WholeSequenceBuilder<PositionalEncoding> {

  PositionalEncodingBuilder() {
    super(PositionalEncoding.class, PositionalEncoding.KIND);
  }

  @Override
  void checkLength(PositionalEncoding layer, int length) {
    check(layer, length);
  }

  /** Refuses a sequence longer than the layer's table. */
  static void check(PositionalEncoding layer, long length) {
    if (length > layer.maxLength()) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' encodes positions up to max_length " + layer.maxLength()
          + ", got a sequence of " + length + " steps");
    }
  }

  @Override
  Operand<TFloat32> apply(LayerContext ctx, PositionalEncoding layer, Operand<TFloat32> x, Operand<TInt32> steps, int width) {
    return AttentionOps.addPositions(ctx.tf(), x, AttentionOps.positionTable(ctx.tf(), layer.maxLength(), width), width,
        layer.scaleInput());
  }
}

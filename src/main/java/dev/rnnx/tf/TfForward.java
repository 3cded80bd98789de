package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A model's unrolled (training) forward: each layer's main output into the next. */
final class TfForward {

  /**
   * The model's outputs in {@link Sequential#outputs()} order, and the main output's logits when
   * the last layer is a sigmoid or softmax dense layer (for numerically stable cross-entropies).
   *
   * @param outputs the model outputs
   * @param logits the pre-activation main output, or null
   */
  record Result(List<Unrolled> outputs, Unrolled logits) {

    Operand<TFloat32> output(Ops tf) {
      return outputs.get(0).tensor(tf);
    }
  }

  private TfForward() {}

  /** The unrolled forward of {@code model} on {@code input} (a float sequence or token ids). */
  static Result unrolled(LayerContext ctx, Sequential model, Unrolled input) {
    return unrolled(ctx, model, input, null);
  }

  /**
   * The unrolled forward of a model, on an input already compacted by {@code mask} where the model
   * masks its input: the mask consumer's last output is then zeroed for rows without an unmasked
   * step, and its sequence output brought back to the original steps, as in serving
   * ({@link MaskCompaction#restore}).
   *
   * @param mask the compaction of the input, or null for a model without a mask
   */
  static Result unrolled(LayerContext ctx, Sequential model, Unrolled input, MaskCompaction mask) {
    List<Shape> shapes = model.layerInputShapes();
    Unrolled value = input;
    List<Unrolled> outputs = List.of();
    Unrolled logits = null;
    int last = model.layers().size() - 1;
    for (int i = 0; i <= last; i++) {
      Layer layer = model.layers().get(i);
      Dense dense = i == last ? classifier(layer) : null;
      if (dense != null) {
        logits = DenseBuilder.apply(ctx, dense, shapes.get(i), value, false);
        Operand<TFloat32> probs = TfActivations.apply(ctx.tf(), dense.activation(), logits.sequence()
            ? logits.tensor(ctx.tf()) : logits.value());
        outputs = List.of(logits.sequence() ? Unrolled.sequence(probs, logits.length()) : Unrolled.single(probs));
      } else {
        outputs = TfLayers.builder(layer.kind()).unrolled(ctx, layer, shapes.get(i), value);
      }
      if (mask != null && i == model.maskConsumer()) {
        Unrolled out = outputs.get(0);
        List<Unrolled> restored = new ArrayList<>(outputs);
        restored.set(0, out.sequence()
            ? Unrolled.sequence(mask.restore(ctx.tf(), out.tensor(ctx.tf()), 3, layer), out.length())
            : Unrolled.single(mask.restore(ctx.tf(), out.value(), 2)));
        outputs = restored;
        ctx = ctx.withoutLengths(); // the layers after it read every original step
      }
      value = outputs.get(0);
    }
    return new Result(new ArrayList<>(outputs), logits);
  }

  /** The dense layer (possibly time-distributed) whose sigmoid or softmax output has useful logits, or null. */
  static Dense classifier(Layer layer) {
    Dense dense = TfLayers.builder(layer.kind()).asDense(layer);
    return dense != null && (dense.activation() == Activation.SIGMOID || dense.activation() == Activation.SOFTMAX) ? dense : null;
  }
}

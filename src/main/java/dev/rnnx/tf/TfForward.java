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

package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@link dev.rnnx.spec.SimpleRnn}, {@link dev.rnnx.spec.Lstm} and {@link dev.rnnx.spec.Gru}: one
 * builder per kind, the cell arithmetic in {@link Cell}, the time loop in {@link Recurrence}.
 */
final class RecurrentLayerBuilder implements TfLayerBuilder {

  private final String kind;

  RecurrentLayerBuilder(String kind) {
    this.kind = kind;
  }

  @Override
  public String kind() {
    return kind;
  }

  private RecurrentLayer expect(Layer layer, Shape inputShape) {
    if (!(layer instanceof RecurrentLayer r) || !layer.kind().equals(kind)) {
      throw new IllegalArgumentException("the '" + kind + "' builder got layer '" + layer.name() + "' of kind '"
          + layer.kind() + "'");
    }
    if (inputShape.rank() != 3) {
      throw new IllegalArgumentException("layer '" + layer.name() + "' expects a sequence input (batch, time, features), got "
          + inputShape);
    }
    return r;
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    RecurrentLayer r = expect(layer, inputShape);
    if (!input.sequence()) {
      throw new IllegalArgumentException("layer '" + r.name() + "' expects a sequence input (batch, time, features)");
    }
    Recurrence.Run run = Recurrence.unrolled(ctx, r, r.name() + "/", r.name() + "_", r.goBackwards(), inputShape.dim(-1), input);
    List<Unrolled> out = new ArrayList<>();
    out.add(r.returnSequences() ? Unrolled.sequence(run.steps()) : Unrolled.single(run.states().get(0)));
    if (r.returnState()) {
      run.states().forEach(s -> out.add(Unrolled.single(s)));
    }
    return out;
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    RecurrentLayer r = expect(layer, inputShape);
    Recurrence.Run run = Recurrence.serving(ctx, r, r.name() + "/", r.name() + "_", r.goBackwards(), inputShape.dim(-1),
        TfLayerBuilder.floats(r, input), r.returnSequences());
    List<Operand<TFloat32>> out = new ArrayList<>();
    out.add(r.returnSequences() ? run.sequence() : run.states().get(0));
    if (r.returnState()) {
      out.addAll(run.states());
    }
    return out;
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Bidirectional}: the wrapped layer forwards ({@code <name>/forward/…}) and backwards
 * ({@code <name>/backward/…}); the backward sequence output is re-reversed within each sequence's
 * length so that step t of both halves belongs to input step t, then the halves are merged. With
 * {@link Bidirectional#reversed()} the forward parameters read backwards and the backward ones
 * forwards, and the same code gives Keras's {@code merge(y, reverse(y_rev))}: the first run's
 * sequence comes in its processing order, the second's is reversed within each length.
 */
final class BidirectionalBuilder implements TfLayerBuilder {

  @Override
  public String kind() {
    return Bidirectional.KIND;
  }

  /** Both directions draw from the wrapped layer's initializers. */
  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    RecurrentLayer inner = TfLayerBuilder.expect(layer, Bidirectional.class, kind()).layer();
    return TfLayers.builder(inner.kind()).initialValues(inner, parameter, role, random);
  }

  @Override
  public boolean parallelGates(Layer layer) {
    RecurrentLayer inner = TfLayerBuilder.expect(layer, Bidirectional.class, kind()).layer();
    return TfLayers.builder(inner.kind()).parallelGates(inner);
  }

  private static Bidirectional expect(Layer layer, Shape inputShape) {
    Bidirectional bi = TfLayerBuilder.expect(layer, Bidirectional.class, Bidirectional.KIND);
    Layer.checkSequence(bi.name(), inputShape);
    return bi;
  }

  @Override
  public List<Unrolled> unrolled(LayerContext ctx, Layer layer, Shape inputShape, Unrolled input) {
    Bidirectional bi = expect(layer, inputShape);
    RecurrentLayer inner = bi.layer();
    Ops tf = ctx.tf();
    int features = inputShape.dim(-1);
    Recurrence.Run forward = Recurrence.unrolled(ctx, inner, bi.directionPrefix("forward"), bi.name() + "_forward_",
        bi.readsBackwards("forward"),
        features, input);
    Recurrence.Run backward = Recurrence.unrolled(ctx, inner, bi.directionPrefix("backward"), bi.name() + "_backward_",
        bi.readsBackwards("backward"),
        features, input);
    List<Unrolled> out = new ArrayList<>();
    if (inner.returnSequences()) {
      int length = input.length();
      Operand<TFloat32> f = Unrolled.sequence(forward.steps()).tensor(tf);
      Operand<TFloat32> b;
      if (ctx.masked()) {
        b = Recurrence.reverse(ctx, Unrolled.sequence(backward.steps()).tensor(tf));
      } else {
        List<Operand<TFloat32>> steps = new ArrayList<>(backward.steps());
        java.util.Collections.reverse(steps);
        b = Unrolled.sequence(steps).tensor(tf);
      }
      out.add(Unrolled.sequence(merge(tf, bi.mergeMode(), f, b), length));
    } else {
      out.add(Unrolled.single(merge(tf, bi.mergeMode(), forward.states().get(0), backward.states().get(0))));
    }
    if (inner.returnState()) {
      forward.states().forEach(s -> out.add(Unrolled.single(s)));
      backward.states().forEach(s -> out.add(Unrolled.single(s)));
    }
    return out;
  }

  @Override
  public List<Operand<TFloat32>> serving(LayerContext ctx, Layer layer, Shape inputShape, Operand<?> input) {
    Bidirectional bi = expect(layer, inputShape);
    RecurrentLayer inner = bi.layer();
    Ops tf = ctx.tf();
    Operand<TFloat32> x = TfLayerBuilder.floats(bi, input);
    int features = inputShape.dim(-1);
    boolean sequences = inner.returnSequences();
    Recurrence.Run forward = Recurrence.serving(ctx, inner, bi.directionPrefix("forward"), bi.name() + "_forward_",
        bi.readsBackwards("forward"),
        features, x, sequences);
    Recurrence.Run backward = Recurrence.serving(ctx, inner, bi.directionPrefix("backward"), bi.name() + "_backward_",
        bi.readsBackwards("backward"),
        features, x, sequences);
    List<Operand<TFloat32>> out = new ArrayList<>();
    if (sequences) {
      Operand<TFloat32> merged = merge(tf, bi.mergeMode(), forward.sequence(), Recurrence.reverse(ctx, backward.sequence()));
      out.add(GraphShapes.declare(tf, merged, -1, -1, bi.outputUnits()));
    } else {
      out.add(merge(tf, bi.mergeMode(), forward.states().get(0), backward.states().get(0)));
    }
    if (inner.returnState()) {
      out.addAll(forward.states());
      out.addAll(backward.states());
    }
    return out;
  }

  /** Joins the halves on the last axis. */
  static Operand<TFloat32> merge(Ops tf, MergeMode mode, Operand<TFloat32> f, Operand<TFloat32> b) {
    return switch (mode) {
      case CONCAT -> tf.concat(List.of(f, b), tf.constant(-1));
      case SUM -> tf.math.add(f, b);
      case MUL -> tf.math.mul(f, b);
      case AVE -> tf.math.mul(tf.math.add(f, b), tf.constant(0.5f));
    };
  }
}

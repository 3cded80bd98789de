package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

  /**
   * {@code kernel} ← the kernel initializer, {@code recurrent_kernel} ← the recurrent initializer,
   * {@code bias} ← the bias initializer (then +1 on an LSTM's forget block with
   * {@code unit_forget_bias}), {@code peephole} ← the kernel initializer (one {@code [H]} vector
   * per gate i, f, o).
   */
  @Override
  public float[] initialValues(Layer layer, ParameterSpec parameter, String role, Random random) {
    RecurrentLayer r = TfLayerBuilder.expect(layer, RecurrentLayer.class, kind);
    int[] shape = parameter.shape();
    switch (role) {
      case "kernel":
        return InitialWeights.sample(r.kernelInitializer(), shape, random);
      case "recurrent_kernel":
        return InitialWeights.sample(r.recurrentInitializer(), shape, random);
      case "bias": {
        float[] v = InitialWeights.sample(r.biasInitializer(), shape, random);
        if (r instanceof Lstm lstm && lstm.unitForgetBias()) {
          int h = lstm.units();
          for (int j = h; j < 2 * h; j++) { // gate blocks i, f, c, o: f is the second
            v[j] += 1f;
          }
        }
        return v;
      }
      case "peephole": {
        int h = r.units();
        float[] v = new float[3 * h];
        for (int g = 0; g < 3; g++) {
          System.arraycopy(InitialWeights.sample(r.kernelInitializer(), new int[] {h}, random), 0, v, g * h, h);
        }
        return v;
      }
      default:
        throw InitialWeights.unknown(parameter, role);
    }
  }

  /** An LSTM of {@link Cell.LstmCell#PER_GATE_UNITS} units or more runs one recurrent product per gate. */
  @Override
  public boolean parallelGates(Layer layer) {
    return layer instanceof Lstm lstm && lstm.units() >= Cell.LstmCell.PER_GATE_UNITS;
  }

  private RecurrentLayer expect(Layer layer, Shape inputShape) {
    if (!(layer instanceof RecurrentLayer r) || !layer.kind().equals(kind)) {
      throw new IllegalArgumentException("the '" + kind + "' builder got layer '" + layer.name() + "' of kind '"
          + layer.kind() + "'");
    }
    Layer.checkSequence(layer.name(), inputShape);
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

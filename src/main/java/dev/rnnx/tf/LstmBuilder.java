package dev.rnnx.tf;

import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link Lstm} with Keras semantics on the canonical layout ({@code kernel [in, 4H]},
 * {@code recurrent_kernel [H, 4H]}, {@code bias [4H]}, gate blocks i, f, c, o), zero initial state.
 */
final class LstmBuilder implements TfLayerBuilder {

  // Loop variables of the serving loop; the optional bias and output sequence follow.
  private static final int STEP = 0;
  private static final int H = 1;
  private static final int C = 2;
  private static final int PROJECTED = 3;
  private static final int RECURRENT = 4;

  @Override
  public String kind() {
    return Lstm.KIND;
  }

  @Override
  public List<Unrolled> unrolled(Ops tf, Layer layer, Unrolled input, TfParameters params) {
    Lstm lstm = TfLayerBuilder.expect(layer, Lstm.class, kind());
    if (!input.sequence()) {
      throw new IllegalArgumentException("layer '" + lstm.name() + "' expects a sequence input (batch, time, features)");
    }
    Operand<TFloat32> kernel = params.get(lstm.name() + "/kernel");
    Operand<TFloat32> recurrent = params.get(lstm.name() + "/recurrent_kernel");
    Operand<TFloat32> bias = lstm.useBias() ? params.get(lstm.name() + "/bias") : null;
    Operand<TFloat32> zeros = GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, input.steps().get(0), new int[] {0}, lstm.units()));
    Operand<TFloat32> h = zeros;
    Operand<TFloat32> c = zeros;
    List<Operand<TFloat32>> hs = new ArrayList<>();
    for (Operand<TFloat32> x : input.steps()) {
      List<Operand<TFloat32>> state = step(tf, lstm, tf.linalg.matMul(x, kernel), h, c, recurrent, bias);
      h = state.get(0);
      c = state.get(1);
      hs.add(h);
    }
    List<Unrolled> out = new ArrayList<>();
    out.add(lstm.returnSequences() ? Unrolled.sequence(hs) : Unrolled.single(h));
    if (lstm.returnState()) {
      out.add(Unrolled.single(h));
      out.add(Unrolled.single(c));
    }
    return out;
  }

  @Override
  public List<Operand<TFloat32>> serving(
      Graph graph, Ops tf, Layer layer, Shape inputShape, Operand<TFloat32> input, TfParameters params) {
    Lstm lstm = TfLayerBuilder.expect(layer, Lstm.class, kind());
    if (inputShape.rank() != 3) {
      throw new IllegalArgumentException("layer '" + lstm.name() + "' expects a sequence input (batch, time, features), got " + inputShape);
    }
    int units = lstm.units();
    Operand<TFloat32> kernel = params.get(lstm.name() + "/kernel");
    // The input projection of every step at once, outside the loop: [B, T, 4H].
    Operand<TFloat32> flat = tf.reshape(input, tf.constant(new int[] {-1, inputShape.dim(-1)}));
    Operand<TFloat32> projected = tf.reshape(tf.linalg.matMul(flat, kernel),
        GraphShapes.dimsThen(tf, input, new int[] {0, 1}, 4 * units));
    Operand<TFloat32> zeros = GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, input, new int[] {0}, units));

    // The loop body is its own subgraph and cannot capture outer values: everything it reads
    // (projected input, weights) travels in as a loop variable and comes out unchanged.
    List<Output<?>> vars = new ArrayList<>(List.of( // in the order of the indices STEP..RECURRENT
        tf.constant(0).asOutput(), zeros.asOutput(), zeros.asOutput(), projected.asOutput(),
        params.get(lstm.name() + "/recurrent_kernel").asOutput()));
    int biasIndex = -1;
    if (lstm.useBias()) {
      biasIndex = vars.size();
      vars.add(params.get(lstm.name() + "/bias").asOutput());
    }
    int seqIndex = -1;
    if (lstm.returnSequences()) {
      seqIndex = vars.size();
      // Grows by one step per iteration (checked to export, reload and run on DJL's TensorFlow
      // engine); a TensorArray would avoid the quadratic copying if sequences grow long.
      vars.add(GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, input, new int[] {0}, 0, units)).asOutput());
    }
    final int b = biasIndex;
    final int s = seqIndex;
    Output<?>[] done = graph.whileLoop(vars.toArray(new Output<?>[0]),
        (cond, in, out) -> {
          Ops t = Ops.create(cond);
          Operand<TInt32> i = in[STEP].expect(TInt32.class);
          Operand<TInt32> steps = t.gather(t.shape(in[PROJECTED]), t.constant(1), t.constant(0));
          out[0] = t.math.less(i, steps).asOutput();
        },
        (body, in, out) -> {
          Ops t = Ops.create(body);
          Operand<TInt32> i = in[STEP].expect(TInt32.class);
          Operand<TFloat32> xw = t.gather(in[PROJECTED].expect(TFloat32.class), i, t.constant(1));
          List<Operand<TFloat32>> state = step(t, lstm, xw, in[H].expect(TFloat32.class), in[C].expect(TFloat32.class),
              in[RECURRENT].expect(TFloat32.class), b < 0 ? null : in[b].expect(TFloat32.class));
          for (int k = 0; k < in.length; k++) {
            out[k] = in[k];
          }
          out[STEP] = t.math.add(i, t.constant(1)).asOutput();
          out[H] = state.get(0).asOutput();
          out[C] = state.get(1).asOutput();
          if (s >= 0) {
            out[s] = t.concat(List.of(in[s].expect(TFloat32.class), t.expandDims(state.get(0), t.constant(1))),
                t.constant(1)).asOutput();
          }
        },
        lstm.name() + "_while");
    Operand<TFloat32> h = GraphShapes.declare(tf, done[H].expect(TFloat32.class), -1, units);
    List<Operand<TFloat32>> result = new ArrayList<>();
    result.add(s >= 0 ? GraphShapes.declare(tf, done[s].expect(TFloat32.class), -1, -1, units) : h);
    if (lstm.returnState()) {
      result.add(h);
      result.add(GraphShapes.declare(tf, done[C].expect(TFloat32.class), -1, units));
    }
    return result;
  }

  /**
   * One time step, shared by both forwards: {@code z = xW + h·U + b}, then the gates.
   *
   * @param xw this step's input projection {@code x_t · kernel}, {@code [B, 4H]}
   * @return the new {@code h} and {@code c}
   */
  static List<Operand<TFloat32>> step(Ops tf, Lstm lstm, Operand<TFloat32> xw, Operand<TFloat32> h, Operand<TFloat32> c,
      Operand<TFloat32> recurrent, Operand<TFloat32> bias) {
    Operand<TFloat32> z = tf.math.add(xw, tf.linalg.matMul(h, recurrent));
    if (bias != null) {
      z = tf.math.add(z, bias);
    }
    Split<TFloat32> gates = tf.split(tf.constant(1), z, 4L);
    Operand<TFloat32> i = TfActivations.apply(tf, lstm.recurrentActivation(), gates.output().get(0));
    Operand<TFloat32> f = TfActivations.apply(tf, lstm.recurrentActivation(), gates.output().get(1));
    Operand<TFloat32> candidate = TfActivations.apply(tf, lstm.activation(), gates.output().get(2));
    Operand<TFloat32> o = TfActivations.apply(tf, lstm.recurrentActivation(), gates.output().get(3));
    Operand<TFloat32> cNext = tf.math.add(tf.math.mul(f, c), tf.math.mul(i, candidate));
    Operand<TFloat32> hNext = tf.math.mul(o, TfActivations.apply(tf, lstm.activation(), cNext));
    return List.of(hNext, cNext);
  }
}

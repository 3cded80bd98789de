package dev.rnnx.tf;

import dev.rnnx.spec.RecurrentLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReverseSequence;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Runs one direction of a recurrent layer over a sequence, in both forms: unrolled (training) and
 * in a forward-only {@code whileLoop} (serving). Shared semantics (see {@link RecurrentLayer}):
 * with lengths, a sequence of length L is read at steps 0 … L−1, its states freeze after step L−1
 * ({@code s = m⊙s_new + (1−m)⊙s_prev} with {@code m = t < L}, computed as a row Select, which is
 * exact and whose gradient needs no broadcast bookkeeping) and its outputs are {@code m⊙h_new},
 * zero from step L on. Backwards reads L−1 … 0 (each sequence reversed within its own length by
 * ReverseSequence, which has a C++ gradient) and emits outputs in that processing order.
 */
final class Recurrence {

  /**
   * What one direction produced.
   *
   * @param steps the per-step outputs in processing order (unrolled form), or null
   * @param sequence the outputs {@code [B, T, H]} in processing order (serving form), or null
   * @param states the final states, {@code h} first
   */
  record Run(List<Operand<TFloat32>> steps, Operand<TFloat32> sequence, List<Operand<TFloat32>> states) {}

  /**
   * Another build of one direction of an unrolled recurrent layer, set on a {@link LayerContext}:
   * the hook through which the benchmarks (src/jmh's {@code BlockLstm}) swap the cell steps for a
   * fused kernel. Nothing in the main code sets one.
   */
  interface Replacement {

    /** The direction's run, or null where this build does not apply (the cell steps then run). */
    Run build(LayerContext ctx, RecurrentLayer layer, String prefix, boolean backwards, Unrolled input);
  }

  private Recurrence() {}

  /** Zeros {@code [B, H]}, the output of a step past a sequence's length. */
  private static Operand<TFloat32> zeros(Ops tf, Operand<TFloat32> x, RecurrentLayer layer) {
    return GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, x, new int[] {0}, layer.units()));
  }

  /**
   * The initial states: the model inputs named {@code <stateInputPrefix><state>0} when the layer
   * takes them and the graph has them, zeros otherwise.
   */
  private static List<Operand<TFloat32>> initialStates(LayerContext ctx, RecurrentLayer layer, String stateInputPrefix,
      Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    List<Operand<TFloat32>> states = new ArrayList<>();
    Operand<TFloat32> zeros = null;
    for (String s : layer.states()) {
      // A graph without the state input (training) starts from zeros.
      Operand<TFloat32> given = layer.stateInputs() ? ctx.stateInput(stateInputPrefix + s + "0") : null;
      if (given == null) {
        if (zeros == null) {
          zeros = GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, x, new int[] {0}, layer.units()));
        }
        given = zeros;
      }
      states.add(given);
    }
    return states;
  }

  /** The input projection of every step at once: {@code [B, T, G·H]}. */
  private static Operand<TFloat32> project(Ops tf, Cell cell, Operand<TFloat32> x, int features, TfParameters params,
      String prefix, Operand<TInt32> shape) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, features}));
    return tf.reshape(cell.project(tf, flat, params, prefix), shape);
  }

  /** Reverses each sequence within its length (or entirely, without lengths) along axis 1. */
  static Operand<TFloat32> reverse(LayerContext ctx, Operand<TFloat32> x) {
    Ops tf = ctx.tf();
    return ctx.masked()
        ? tf.reverseSequence(x, ctx.lengths(), 1L, ReverseSequence.batchDim(0L))
        : tf.reverse(x, tf.constant(new int[] {1}));
  }

  /** The unrolled form over {@code ctx.length()} steps. */
  static Run unrolled(LayerContext ctx, RecurrentLayer layer, String prefix, String stateInputPrefix, boolean backwards,
      int features, Unrolled input) {
    Run replaced = ctx.recurrenceReplacement() == null ? null : ctx.recurrenceReplacement().build(ctx, layer, prefix, backwards, input);
    if (replaced != null) {
      return replaced;
    }
    Ops tf = ctx.tf();
    Cell cell = Cell.of(layer);
    int length = input.length();
    Operand<TFloat32> x = input.tensor(tf);
    Operand<TFloat32> projected = project(tf, cell, x, features, ctx.params(), prefix,
        tf.constant(new int[] {-1, length, cell.projectedWidth()}));
    List<Operand<TFloat32>> xs;
    if (backwards && ctx.masked()) {
      xs = Unrolled.sequence(reverse(ctx, projected), length).steps(tf);
    } else {
      xs = new ArrayList<>(Unrolled.sequence(projected, length).steps(tf));
      if (backwards) {
        Collections.reverse(xs);
      }
    }
    List<Operand<TFloat32>> weights = cell.stepWeights(tf, ctx.params(), prefix);
    List<Operand<TFloat32>> states = initialStates(ctx, layer, stateInputPrefix, x);
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    Operand<TFloat32> zero = ctx.masked() ? zeros(tf, x, layer) : null;
    for (int t = 0; t < length; t++) {
      List<Operand<TFloat32>> next = cell.step(tf, xs.get(t), states, weights);
      if (ctx.masked()) {
        List<Operand<TFloat32>> held = new ArrayList<>();
        for (int k = 0; k < next.size(); k++) {
          held.add(TfOps.selectRows(tf, ctx.valid(t), next.get(k), states.get(k)));
        }
        states = held;
        outputs.add(TfOps.selectRows(tf, ctx.valid(t), next.get(0), zero));
      } else {
        states = next;
        outputs.add(next.get(0));
      }
    }
    return new Run(outputs, null, states);
  }

  /** The serving form: a forward-only {@code whileLoop} over any length. */
  static Run serving(LayerContext ctx, RecurrentLayer layer, String prefix, String stateInputPrefix, boolean backwards,
      int features, Operand<TFloat32> x, boolean returnSequences) {
    Ops tf = ctx.tf();
    Cell cell = Cell.of(layer);
    int units = layer.units();
    Operand<TFloat32> projected = project(tf, cell, x, features, ctx.params(), prefix,
        GraphShapes.dimsThen(tf, x, new int[] {0, 1}, cell.projectedWidth()));
    if (backwards) {
      projected = reverse(ctx, projected);
    }
    List<Operand<TFloat32>> initial = initialStates(ctx, layer, stateInputPrefix, x);
    List<Operand<TFloat32>> weights = cell.stepWeights(tf, ctx.params(), prefix);
    int nStates = initial.size();

    // The loop body is its own subgraph and cannot capture outer values: everything it reads
    // (projected input, weights, lengths) travels in as a loop variable and comes out unchanged.
    List<Output<?>> vars = new ArrayList<>();
    vars.add(tf.constant(0).asOutput()); // 0: step
    initial.forEach(s -> vars.add(s.asOutput())); // 1 … nStates
    final int proj = vars.size();
    vars.add(projected.asOutput());
    final int w0 = vars.size();
    weights.forEach(w -> vars.add(w.asOutput()));
    final int lengthsIndex = ctx.masked() ? vars.size() : -1;
    if (ctx.masked()) {
      vars.add(ctx.lengths().asOutput());
    }
    final int seq = returnSequences ? vars.size() : -1;
    if (returnSequences) {
      // Grows by one step per iteration (checked to export, reload and run on DJL's TensorFlow
      // engine); a TensorArray would avoid the quadratic copying if sequences grow long.
      vars.add(GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, x, new int[] {0}, 0, units)).asOutput());
    }
    final int nWeights = weights.size();
    Output<?>[] done = ctx.graph().whileLoop(vars.toArray(new Output<?>[0]),
        (cond, in, out) -> {
          Ops t = Ops.create(cond);
          Operand<TInt32> i = in[0].expect(TInt32.class);
          Operand<TInt32> steps = t.gather(t.shape(in[proj]), t.constant(1), t.constant(0));
          out[0] = t.math.less(i, steps).asOutput();
        },
        (body, in, out) -> {
          Ops t = Ops.create(body);
          Operand<TInt32> i = in[0].expect(TInt32.class);
          Operand<TFloat32> xw = t.gather(in[proj].expect(TFloat32.class), i, t.constant(1));
          List<Operand<TFloat32>> states = new ArrayList<>();
          for (int k = 0; k < nStates; k++) {
            states.add(in[1 + k].expect(TFloat32.class));
          }
          List<Operand<TFloat32>> w = new ArrayList<>();
          for (int k = 0; k < nWeights; k++) {
            w.add(in[w0 + k].expect(TFloat32.class));
          }
          List<Operand<TFloat32>> next = cell.step(t, xw, states, w);
          Operand<TFloat32> output = next.get(0);
          if (lengthsIndex >= 0) {
            Operand<TBool> valid = t.math.less(i, in[lengthsIndex].expect(TInt32.class));
            output = TfOps.selectRows(t, valid, next.get(0), t.zerosLike(next.get(0)));
            List<Operand<TFloat32>> held = new ArrayList<>();
            for (int k = 0; k < nStates; k++) {
              held.add(TfOps.selectRows(t, valid, next.get(k), states.get(k)));
            }
            next = held;
          }
          for (int k = 0; k < in.length; k++) {
            out[k] = in[k];
          }
          out[0] = t.math.add(i, t.constant(1)).asOutput();
          for (int k = 0; k < nStates; k++) {
            out[1 + k] = next.get(k).asOutput();
          }
          if (seq >= 0) {
            out[seq] = t.concat(List.of(in[seq].expect(TFloat32.class), t.expandDims(output, t.constant(1))),
                t.constant(1)).asOutput();
          }
        },
        (prefix + "while").replace('/', '_'));
    List<Operand<TFloat32>> states = new ArrayList<>();
    for (int k = 0; k < nStates; k++) {
      states.add(GraphShapes.declare(tf, done[1 + k].expect(TFloat32.class), -1, units));
    }
    Operand<TFloat32> sequence = seq >= 0 ? GraphShapes.declare(tf, done[seq].expect(TFloat32.class), -1, -1, units) : null;
    return new Run(null, sequence, states);
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An unrolled LSTM layer as TensorFlow's fused {@code BlockLSTMV2} kernel: every step and gate of
 * the forward pass in one op, and the backward pass in one {@code BlockLSTMGradV2} op. TensorFlow
 * registers that gradient in Python only, so it is registered here through TF Java's custom
 * gradients, once per process.
 *
 * <p>{@code BlockLSTMV2} reads the weights as {@code [x; h]·W + b} with {@code W = [kernel;
 * recurrent_kernel]} of shape {@code [I+H, 4H]} in Keras's gate order i, f, c, o, which is rnnx's
 * canonical layout, so no column is moved. It has no per-sequence lengths, initial-state inputs,
 * other activations or Keras-style peepholes, so only a forward LSTM with sigmoid and tanh, bias
 * or none, zero initial states and full-length sequences runs fused ({@link #applies}); any other
 * runs unrolled as before. The fused op computes the same function as the unrolled cell, in a
 * different order of float32 operations (checked in {@code BlockLstmTest}).
 *
 * <p>Benchmark code (src/jmh): {@link TrainingSpeed}'s {@code block-lstm} variants set it on a
 * training graph through {@link Recurrence.Replacement}; the main code never runs it. It lives in
 * package {@code dev.rnnx.tf} for the package's graph helpers.
 */
final class BlockLstm {

  /** The replacement that runs every LSTM layer that allows it fused. */
  static final Recurrence.Replacement FUSED = (ctx, layer, prefix, backwards, input) ->
      applies(ctx, layer, backwards) ? run(ctx, (Lstm) layer, prefix, input) : null;

  private static boolean registered;

  private BlockLstm() {}

  /** Whether this layer, in this context, can run fused. */
  static boolean applies(LayerContext ctx, RecurrentLayer layer, boolean backwards) {
    return layer instanceof Lstm l && !backwards && !ctx.masked() && !l.stateInputs() && !l.peephole()
        && l.activation() == Activation.TANH && l.recurrentActivation() == Activation.SIGMOID;
  }

  /** The layer's run: per-step outputs and the final {@code h, c}. */
  static Recurrence.Run run(LayerContext ctx, Lstm layer, String prefix, Unrolled input) {
    register();
    Ops tf = ctx.tf();
    int units = layer.units();
    int length = input.length();
    TfParameters params = ctx.params();
    Operand<TFloat32> x = input.tensor(tf);
    Operand<TFloat32> timeMajor = tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2}));
    Operand<TFloat32> w = tf.concat(List.of(params.get(prefix + "kernel"), params.get(prefix + "recurrent_kernel")),
        tf.constant(0));
    Operand<TFloat32> zeros = GraphShapes.zeros(tf, GraphShapes.dimsThen(tf, x, new int[] {0}, units));
    Operand<TFloat32> noPeephole = tf.zeros(tf.constant(new int[] {units}), TFloat32.class);
    Operand<TFloat32> bias = layer.useBias() ? params.get(prefix + "bias")
        : tf.zeros(tf.constant(new int[] {4 * units}), TFloat32.class);
    BlockLSTM<TFloat32> block = tf.nn.blockLSTM(tf.constant((long) length), timeMajor, zeros, zeros, w, noPeephole, noPeephole,
        noPeephole, bias, BlockLSTM.cellClip(-1f), BlockLSTM.usePeephole(false));
    List<Operand<TFloat32>> steps = new ArrayList<>(tf.unstack(block.h(), (long) length, Unstack.axis(0L)).output());
    List<Operand<TFloat32>> cs = new ArrayList<>(tf.unstack(block.cs(), (long) length, Unstack.axis(0L)).output());
    return new Recurrence.Run(steps, null, List.of(steps.get(length - 1), cs.get(length - 1)));
  }

  /** Registers {@code BlockLSTMV2}'s gradient, {@code BlockLSTMGradV2}, once per process. */
  static synchronized void register() {
    if (registered) {
      return;
    }
    TensorFlow.registerCustomGradient(BlockLSTM.OP_NAME, BlockLstm::gradient);
    registered = true;
  }

  @SuppressWarnings("unchecked")
  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Operand<TFloat32>[] in = new Operand[9];
    for (int k = 1; k < 9; k++) {
      in[k] = (Operand<TFloat32>) op.input(k);
    }
    Operand<TFloat32>[] out = new Operand[7];
    for (int k = 0; k < 7; k++) {
      out[k] = op.output(k).expect(TFloat32.class);
    }
    // outputs: i, cs, f, o, ci, co, h; only cs and h carry gradients out of the cell
    Operand<TFloat32> csGrad = grads.get(1) != null ? (Operand<TFloat32>) grads.get(1) : tf.zerosLike(out[1]);
    Operand<TFloat32> hGrad = grads.get(6) != null ? (Operand<TFloat32>) grads.get(6) : tf.zerosLike(out[6]);
    BlockLSTMGrad<TFloat32> g = tf.nn.blockLSTMGrad((Operand<TInt64>) op.input(0), in[1], in[2], in[3], in[4], in[5], in[6],
        in[7], in[8], out[0], out[1], out[2], out[3], out[4], out[5], out[6], csGrad, hGrad, false);
    // TF Java's gradient adapter takes no null: the int64 step count gets a zero "gradient", never read
    return Arrays.asList(tf.zerosLike(op.input(0)), g.xGrad(), g.csPrevGrad(), g.hPrevGrad(), g.wGrad(), g.wciGrad(), g.wcfGrad(), g.wcoGrad(),
        g.bGrad());
  }
}

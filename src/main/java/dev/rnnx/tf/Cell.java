package dev.rnnx.tf;

import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.SimpleRnn;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The arithmetic of one recurrent cell on the canonical layout, split in three so that the input
 * projection of every step is one matrix product outside the recurrence, and the weights a step
 * needs are prepared once (outside the serving loop, whose body cannot capture outer values).
 * Parameters are read under a prefix: {@code lstm/} for a plain layer, {@code bi/forward/} for a
 * direction of a bidirectional one.
 */
abstract sealed class Cell permits Cell.SimpleRnnCell, Cell.LstmCell, Cell.GruCell {

  final RecurrentLayer layer;
  final int units;

  Cell(RecurrentLayer layer) {
    this.layer = layer;
    this.units = layer.units();
  }

  /** The cell of a recurrent layer. */
  static Cell of(RecurrentLayer layer) {
    if (layer instanceof SimpleRnn s) {
      return new SimpleRnnCell(s);
    }
    if (layer instanceof Lstm l) {
      return new LstmCell(l);
    }
    return new GruCell((Gru) layer);
  }

  /** The width of the input projection, G·H. */
  int projectedWidth() {
    return layer.gates() * units;
  }

  /** The input projection {@code x · kernel (+ input bias)} of rows {@code x [N, in]}: {@code [N, G·H]}. */
  Operand<TFloat32> project(Ops tf, Operand<TFloat32> x, TfParameters params, String prefix) {
    Operand<TFloat32> xw = tf.linalg.matMul(x, params.get(prefix + "kernel"));
    Operand<TFloat32> bias = inputBias(tf, params, prefix);
    return bias == null ? xw : tf.nn.biasAdd(xw, bias);
  }

  /** The bias added to the input projection, or null. */
  Operand<TFloat32> inputBias(Ops tf, TfParameters params, String prefix) {
    return layer.useBias() ? params.get(prefix + "bias") : null;
  }

  /** The weights one step reads, prepared from the parameters; their order is the cell's own. */
  abstract List<Operand<TFloat32>> stepWeights(Ops tf, TfParameters params, String prefix);

  /**
   * One time step.
   *
   * @param xw this step's input projection {@code [B, G·H]}
   * @param states the states before the step, in {@link RecurrentLayer#states()} order
   * @param w the prepared step weights
   * @return the states after the step; the first, {@code h}, is also the step's output
   */
  abstract List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> xw, List<Operand<TFloat32>> states, List<Operand<TFloat32>> w);

  /**
   * {@code a + b} for two values of one shape, as AddN: its gradient passes the incoming gradient
   * on, where Add's C++ gradient adds seven shape-bookkeeping ops (Shape, BroadcastGradientArgs,
   * Sum, Reshape) that TF Java's sessions do not fold away. Most of an unrolled training step's
   * ops were such bookkeeping.
   */
  static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.addN(List.of(a, b));
  }

  Operand<TFloat32> act(Ops tf, Operand<TFloat32> x) {
    return TfActivations.apply(tf, layer.activation(), x);
  }

  /** {@code h_t = a(x_t · kernel + bias + h_{t-1} · recurrent_kernel)}. */
  static final class SimpleRnnCell extends Cell {

    SimpleRnnCell(SimpleRnn layer) {
      super(layer);
    }

    @Override
    List<Operand<TFloat32>> stepWeights(Ops tf, TfParameters params, String prefix) {
      return List.of(params.get(prefix + "recurrent_kernel"));
    }

    @Override
    List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> xw, List<Operand<TFloat32>> states, List<Operand<TFloat32>> w) {
      return List.of(act(tf, sum(tf, xw, tf.linalg.matMul(states.get(0), w.get(0)))));
    }
  }

  /** Keras's LSTM, gate blocks i, f, c, o, with optional peepholes (i, f on c_{t−1}; o on c_t). */
  static final class LstmCell extends Cell {

    /** The width from which a step runs one recurrent product per gate. */
    static final int PER_GATE_UNITS = 128;

    private final Lstm lstm;

    LstmCell(Lstm layer) {
      super(layer);
      this.lstm = layer;
    }

    private boolean perGate() {
      return units >= PER_GATE_UNITS;
    }

    /**
     * The recurrent kernel, then the peepholes. A cell of {@link #PER_GATE_UNITS} units or more
     * takes its kernel as four {@code [H, H]} gate blocks (split once, outside the steps) and runs
     * one product per gate per step: the four are independent, so a session with two inter-op
     * threads runs them, and their gradients, side by side (LSTM(256)×50×32: 58 → 38 ms per
     * training step with {@link TfSessions.Config#forTraining}). A smaller cell keeps one
     * {@code [H, 4H]} product split after: there the count of ops, not their size, sets the pace
     * (sine-lstm, 20 units: 3.5 s to train fused, 4.7 s per gate).
     */
    @Override
    List<Operand<TFloat32>> stepWeights(Ops tf, TfParameters params, String prefix) {
      Operand<TFloat32> kernel = params.get(prefix + "recurrent_kernel");
      List<Operand<TFloat32>> w = new ArrayList<>();
      if (perGate()) {
        w.addAll(tf.split(tf.constant(1), kernel, 4L).output());
      } else {
        w.add(kernel);
      }
      if (lstm.peephole()) {
        w.addAll(tf.split(tf.constant(0), params.get(prefix + "peephole"), 3L).output()); // p_i, p_f, p_o
      }
      return w;
    }

    @Override
    List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> xw, List<Operand<TFloat32>> states, List<Operand<TFloat32>> w) {
      Operand<TFloat32> h = states.get(0);
      Operand<TFloat32> c = states.get(1);
      List<Operand<TFloat32>> z = new ArrayList<>(4);
      if (perGate()) {
        List<? extends Operand<TFloat32>> x = tf.split(tf.constant(1), xw, 4L).output();
        for (int g = 0; g < 4; g++) {
          z.add(sum(tf, x.get(g), tf.linalg.matMul(h, w.get(g))));
        }
      } else {
        z.addAll(tf.split(tf.constant(1), sum(tf, xw, tf.linalg.matMul(h, w.get(0))), 4L).output());
      }
      int peepholes = perGate() ? 4 : 1;
      Operand<TFloat32> zi = z.get(0);
      Operand<TFloat32> zf = z.get(1);
      Operand<TFloat32> zc = z.get(2);
      Operand<TFloat32> zo = z.get(3);
      if (lstm.peephole()) {
        zi = sum(tf, zi, tf.math.mul(w.get(peepholes), c));
        zf = sum(tf, zf, tf.math.mul(w.get(peepholes + 1), c));
      }
      Operand<TFloat32> i = TfActivations.apply(tf, lstm.recurrentActivation(), zi);
      Operand<TFloat32> f = TfActivations.apply(tf, lstm.recurrentActivation(), zf);
      Operand<TFloat32> candidate = act(tf, zc);
      Operand<TFloat32> cNext = sum(tf, tf.math.mul(f, c), tf.math.mul(i, candidate));
      if (lstm.peephole()) {
        zo = sum(tf, zo, tf.math.mul(w.get(peepholes + 2), cNext));
      }
      Operand<TFloat32> o = TfActivations.apply(tf, lstm.recurrentActivation(), zo);
      return List.of(tf.math.mul(o, act(tf, cNext)), cNext);
    }
  }

  /** Keras's GRU, gate blocks z, r, h, with the reset gate after ({@code reset_after}) or before the recurrent product. */
  static final class GruCell extends Cell {

    private final Gru gru;

    GruCell(Gru layer) {
      super(layer);
      this.gru = layer;
    }

    @Override
    Operand<TFloat32> inputBias(Ops tf, TfParameters params, String prefix) {
      if (!gru.useBias()) {
        return null;
      }
      Operand<TFloat32> bias = params.get(prefix + "bias");
      return gru.resetAfter() ? tf.unstack(bias, 2L).output().get(0) : bias;
    }

    @Override
    List<Operand<TFloat32>> stepWeights(Ops tf, TfParameters params, String prefix) {
      Operand<TFloat32> recurrent = params.get(prefix + "recurrent_kernel");
      List<Operand<TFloat32>> w = new ArrayList<>();
      if (gru.resetAfter()) {
        w.add(recurrent);
        if (gru.useBias()) {
          w.add(tf.unstack(params.get(prefix + "bias"), 2L).output().get(1)); // the recurrent bias
        }
      } else {
        List<Operand<TFloat32>> blocks = new ArrayList<>(tf.split(tf.constant(1), recurrent, 3L).output());
        w.add(tf.concat(List.of(blocks.get(0), blocks.get(1)), tf.constant(1))); // U_z, U_r
        w.add(blocks.get(2)); // U_h
      }
      return w;
    }

    @Override
    List<Operand<TFloat32>> step(Ops tf, Operand<TFloat32> xw, List<Operand<TFloat32>> states, List<Operand<TFloat32>> w) {
      Operand<TFloat32> h = states.get(0);
      List<Operand<TFloat32>> x = new ArrayList<>(tf.split(tf.constant(1), xw, 3L).output());
      Operand<TFloat32> z;
      Operand<TFloat32> r;
      Operand<TFloat32> candidate;
      if (gru.resetAfter()) {
        Operand<TFloat32> hu = tf.linalg.matMul(h, w.get(0));
        if (w.size() > 1) {
          hu = tf.nn.biasAdd(hu, w.get(1));
        }
        List<Operand<TFloat32>> u = new ArrayList<>(tf.split(tf.constant(1), hu, 3L).output());
        z = gate(tf, sum(tf, x.get(0), u.get(0)));
        r = gate(tf, sum(tf, x.get(1), u.get(1)));
        candidate = act(tf, sum(tf, x.get(2), tf.math.mul(r, u.get(2))));
      } else {
        List<Operand<TFloat32>> u = new ArrayList<>(tf.split(tf.constant(1), tf.linalg.matMul(h, w.get(0)), 2L).output());
        z = gate(tf, sum(tf, x.get(0), u.get(0)));
        r = gate(tf, sum(tf, x.get(1), u.get(1)));
        candidate = act(tf, sum(tf, x.get(2), tf.linalg.matMul(tf.math.mul(r, h), w.get(1))));
      }
      // h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h~, computed as h~ + z ⊙ (h_{t-1} − h~): one product
      // instead of two (equal up to rounding)
      Operand<TFloat32> next = sum(tf, candidate, tf.math.mul(z, sum(tf, h, tf.math.neg(candidate))));
      return List.of(next);
    }

    private Operand<TFloat32> gate(Ops tf, Operand<TFloat32> x) {
      return TfActivations.apply(tf, gru.recurrentActivation(), x);
    }
  }
}

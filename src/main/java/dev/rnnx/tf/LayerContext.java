package dev.rnnx.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What every layer of one graph shares: the ops, the parameters, the sequence lengths (when the
 * model takes them) and the initial-state inputs. For an unrolled graph it also holds the fixed
 * number of time steps and the per-step masks {@code m_t = t < L}, built once and shared by every
 * recurrent layer.
 */
public final class LayerContext {

  private final Graph graph;
  private final Ops tf;
  private final TfParameters params;
  private final Operand<TInt32> lengths;
  private final Map<String, ? extends Operand<TFloat32>> stateInputs;
  private final int length;
  private Operand<TFloat32> mask;
  private List<Operand<TFloat32>> masks;
  private List<Operand<TFloat32>> keeps;

  private LayerContext(Graph graph, Ops tf, TfParameters params, Operand<TInt32> lengths,
      Map<String, ? extends Operand<TFloat32>> stateInputs, int length) {
    this.graph = graph;
    this.tf = tf;
    this.params = params;
    this.lengths = lengths;
    this.stateInputs = stateInputs == null ? Map.of() : stateInputs;
    this.length = length;
  }

  /**
   * The context of a graph unrolled over {@code length} steps.
   *
   * @param lengths int32 {@code [B]}, each 1 … length, or null when every sequence is full
   * @param stateInputs initial states by model-input name ({@code lstm_h0}); absent ones start at zero
   */
  public static LayerContext unrolled(Ops tf, TfParameters params, int length, Operand<TInt32> lengths,
      Map<String, ? extends Operand<TFloat32>> stateInputs) {
    return new LayerContext(null, tf, params, lengths, stateInputs, length);
  }

  /** The context of a serving graph, whose loops run over any length. */
  public static LayerContext serving(Graph graph, Ops tf, TfParameters params, Operand<TInt32> lengths,
      Map<String, ? extends Operand<TFloat32>> stateInputs) {
    return new LayerContext(graph, tf, params, lengths, stateInputs, 0);
  }

  Graph graph() {
    if (graph == null) {
      throw new IllegalStateException("an unrolled graph has no control flow");
    }
    return graph;
  }

  Ops tf() {
    return tf;
  }

  TfParameters params() {
    return params;
  }

  /** The lengths {@code [B]}, or null. */
  Operand<TInt32> lengths() {
    return lengths;
  }

  /** Whether sequences carry lengths. */
  boolean masked() {
    return lengths != null;
  }

  /** The initial state fed as model input {@code name}, or null for zeros. */
  Operand<TFloat32> stateInput(String name) {
    return stateInputs.get(name);
  }

  /** The unrolled length T. */
  int length() {
    if (length < 1) {
      throw new IllegalStateException("a serving graph has no fixed length");
    }
    return length;
  }

  /** The validity of every step, {@code [B, T]}: 1 where {@code t < L}, else 0. Unrolled graphs with lengths only. */
  Operand<TFloat32> mask() {
    if (mask == null) {
      if (lengths == null) {
        throw new IllegalStateException("no lengths, no mask");
      }
      Operand<TInt32> steps = tf.expandDims(tf.range(tf.constant(0), tf.constant(length()), tf.constant(1)), tf.constant(0));
      mask = tf.dtypes.cast(tf.math.less(steps, tf.expandDims(lengths, tf.constant(1))), TFloat32.class);
    }
    return mask;
  }

  /** {@code m_t} as {@code [B, 1]}. */
  Operand<TFloat32> mask(int t) {
    buildStepMasks();
    return masks.get(t);
  }

  /** {@code 1 − m_t} as {@code [B, 1]}. */
  Operand<TFloat32> keep(int t) {
    buildStepMasks();
    return keeps.get(t);
  }

  private void buildStepMasks() {
    if (masks == null) {
      Operand<TFloat32> m = tf.expandDims(mask(), tf.constant(2)); // [B, T, 1]
      masks = new ArrayList<>(tf.unstack(m, (long) length(), Unstack.axis(1L)).output());
      keeps = new ArrayList<>(tf.unstack(tf.math.sub(tf.constant(1f), m), (long) length(), Unstack.axis(1L)).output());
    }
  }
}

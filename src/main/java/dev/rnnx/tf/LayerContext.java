package dev.rnnx.tf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What every layer of one graph shares: the ops, the parameters, the sequence lengths (when the
 * model takes them) and the initial-state inputs. For an unrolled graph it also holds the fixed
 * number of time steps and the per-step validity {@code t < L}, built once and shared by every
 * recurrent layer.
 */
public final class LayerContext {

  private final Graph graph;
  private final Ops tf;
  private final TfParameters params;
  private final Operand<TInt32> lengths;
  private final Map<String, ? extends Operand<TFloat32>> stateInputs;
  private final int length;
  private Recurrence.Replacement recurrence;
  private Operand<TFloat32> mask;
  private List<Operand<TBool>> valid;

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

  /**
   * Lets {@code replacement} build the unrolled recurrent layers it applies to instead of the cell
   * steps: the hook of the benchmarks' fused-LSTM variant (src/jmh). None by default.
   *
   * @param replacement the other build, or null for none
   */
  LayerContext replaceRecurrence(Recurrence.Replacement replacement) {
    this.recurrence = replacement;
    return this;
  }

  /**
   * The same context without lengths: the layers after a masked model's mask consumer read the
   * original steps, all of them (the consumer's output is restored to them).
   */
  LayerContext withoutLengths() {
    return new LayerContext(graph, tf, params, null, stateInputs, length).replaceRecurrence(recurrence);
  }

  /** The other build of unrolled recurrent layers, or null. */
  Recurrence.Replacement recurrenceReplacement() {
    return recurrence;
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

  /** Whether step t is inside each sequence, {@code t < L}, as bool {@code [B]}. Built once per step. */
  Operand<TBool> valid(int t) {
    if (lengths == null) {
      throw new IllegalStateException("no lengths, no mask");
    }
    if (valid == null) {
      valid = new ArrayList<>();
      for (int i = 0; i < length(); i++) {
        valid.add(tf.math.less(tf.constant(i), lengths));
      }
    }
    return valid.get(t);
  }
}

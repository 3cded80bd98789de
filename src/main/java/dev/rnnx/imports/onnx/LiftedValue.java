package dev.rnnx.imports.onnx;

import dev.rnnx.spec.MergeMode;
import dev.rnnx.tensorio.TypedTensor;
import java.util.List;

/**
 * What the importer knows about one value of an ONNX graph while it walks the graph forward: the
 * model's flowing activation, an output of a recurrent node, shape plumbing, zeros or a constant.
 * Nodes are recognised by the kinds of their inputs (pattern matching on the graph), never by names.
 */
sealed interface LiftedValue {

  /**
   * The model's main activation after {@code layers} layers.
   *
   * @param flips transposes of the first two axes since the graph input (odd: the other layout)
   * @param rank 2 ({@code [B, F]}, or token ids {@code [B, T]} before the embedding) or 3
   * @param features the last axis, 0 where not yet known
   * @param tokens whether these are still the token ids of the graph input
   * @param layers how many layers produced it (a layer must read the latest value)
   */
  record Main(int flips, int rank, int features, boolean tokens, int layers) implements LiftedValue {}

  /** A recurrent node's {@code Y [T, dirs, B, H]}; with {@code transposed}, {@code [T, B, dirs, H]}. */
  record SequenceOut(int layer, int dirs, int units, boolean transposed) implements LiftedValue {}

  /**
   * One direction {@code d} of a recurrent node's {@code Y}, {@code [T, B, H]}; with {@code batchMajor},
   * transposed to {@code [B, T, H]} (tf2onnx transposes each half before Keras's merge).
   */
  record DirectionSequence(int layer, int direction, int units, boolean batchMajor) implements LiftedValue {}

  /** {@code Y[:, d:d+1]} of a bidirectional node, {@code [T, 1, B, H]} (tf2onnx's split of the directions). */
  record DirectionSlice(int layer, int direction, int units) implements LiftedValue {}

  /** Final states {@code [n, B, H]}: each entry a layer and its direction, in stacking order. */
  record FinalStates(List<int[]> entries, int units) implements LiftedValue {}

  /** One direction's final state {@code [B, H]} of a layer. */
  record FinalState(int layer, int direction, int units) implements LiftedValue {}

  /**
   * The sequence of a {@code go_backwards} layer as ONNX computes it, aligned with input time (a
   * {@code direction=reverse} node's squeezed {@code Y}, or a reversed bidirectional layer's halves
   * merged by {@code merge}): the model's output once the time axis is reversed into processing order.
   */
  record Reversed(int layer, MergeMode merge) implements LiftedValue {}

  /** The model's sequence times a constant, before a positional table is added ({@link PositionalLift}). */
  record Scaled(Main x, float factor) implements LiftedValue {}

  /** A recurrent node's {@code Y_c [dirs, B, H]} (an LSTM's final cell states). */
  record CellStates(int layer, int dirs) implements LiftedValue {}

  /**
   * One direction's final hidden ({@code cell} false) or cell state {@code [B, H]} that a graph output
   * other than the first returns: Keras's {@code return_state}.
   */
  record StateOut(int layer, int direction, boolean cell) implements LiftedValue {}

  /** Integers computed from a tensor's shape (batch size, time steps): plumbing for zero states. */
  record ShapeOf() implements LiftedValue {}

  /** An all-zero tensor of a computed shape (PyTorch's default initial states). */
  record Zeros() implements LiftedValue {}

  /** A constant: an initializer or a {@code Constant} node. */
  record Const(TypedTensor value) implements LiftedValue {}

  /** The graph input of sequence lengths (int32 {@code [B]}). */
  record Lengths() implements LiftedValue {}

  /**
   * Initial states from graph inputs, one per direction, each {@code [1, B, H]} (a graph input of
   * that shape, or rnnx's {@code [B, H]} input unsqueezed), stacked along the directions axis.
   */
  record States(List<String> inputs) implements LiftedValue {}

  /** A value's kind in words, for messages. */
  static String describe(LiftedValue v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof Main m) {
      return m.tokens() ? "the token ids" : "the model's activation (rank " + m.rank() + ")";
    }
    if (v instanceof Const c) {
      return "a constant of shape " + java.util.Arrays.toString(c.value().shape());
    }
    return v instanceof SequenceOut ? "a recurrent output Y"
        : v instanceof DirectionSequence ? "one direction of a recurrent output Y"
        : v instanceof DirectionSlice ? "a slice of one direction of a recurrent output Y"
        : v instanceof FinalStates ? "recurrent final states Y_h"
        : v instanceof FinalState ? "one direction's final state"
        : v instanceof Reversed ? "a go_backwards sequence in input-time order (before its time reversal)"
        : v instanceof ShapeOf ? "a shape computation"
        : v instanceof Zeros ? "zeros"
        : v instanceof States ? "initial states from graph inputs"
        : v instanceof CellStates ? "an LSTM's final cell states Y_c"
        : v instanceof Scaled ? "the model's sequence times a constant"
        : v instanceof StateOut ? "a final state returned as a graph output"
        : "the lengths input";
  }
}

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A recurrent layer over {@code [batch, time, features]}: {@link SimpleRnn}, {@link Lstm} or
 * {@link Gru}. Shared semantics, the same in every backend:
 *
 * <ul>
 *   <li>States start at zero, or at the model inputs {@code <layer>_h0} (and {@code <layer>_c0})
 *       when {@link #stateInputs()} is set.
 *   <li>With {@link #goBackwards()} the layer reads each sequence from its last valid step to its
 *       first and, with {@code return_sequences}, emits its outputs in that processing order
 *       (Keras's {@code go_backwards}).
 *   <li>With a {@code lengths} model input, a sequence of length L is read at steps 0 … L−1 only:
 *       the final state (and the last output) is the state after step L−1, and the sequence
 *       output is zero at steps L … T−1 (ONNX's {@code sequence_lens} semantics; Keras masking
 *       would repeat the last output instead — rnnx promises zeros).
 * </ul>
 */
public sealed interface RecurrentLayer extends Layer permits SimpleRnn, Lstm, Gru {

  /** Hidden size H. */
  int units();

  /** Output every step {@code [B, T, H]} rather than the last {@code [B, H]}. */
  boolean returnSequences();

  /** Also output the final states. */
  boolean returnState();

  /** Read each sequence backwards (Keras's {@code go_backwards}). */
  boolean goBackwards();

  /** Take the initial states as model inputs instead of zeros. */
  boolean stateInputs();

  /** Whether the layer has a bias. */
  boolean useBias();

  /** The number of gate blocks in the kernels: 1, 4 or 3. */
  int gates();

  /** The gated cell this layer runs ({@link Lstm}, {@link Gru}); empty for a simple RNN. */
  default Optional<Cell> cell() {
    return Optional.empty();
  }

  /** The names of the states the layer carries: {@code [h]} or {@code [h, c]}. */
  List<String> states();

  /** The candidate (and, for LSTM, output) activation. */
  Activation activation();

  /** The kernel initializer. */
  Initializer kernelInitializer();

  /** The recurrent-kernel initializer. */
  Initializer recurrentInitializer();

  /** The bias initializer. */
  Initializer biasInitializer();

  @Override
  default List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name(), input);
    List<Shape> shapes = new ArrayList<>();
    Shape state = Shape.of(input.dim(0), units());
    shapes.add(returnSequences() ? Shape.of(input.dim(0), input.dim(1), units()) : state);
    if (returnState()) {
      states().forEach(s -> shapes.add(state));
    }
    return shapes;
  }

  @Override
  default List<String> outputNames() {
    List<String> names = new ArrayList<>();
    names.add("output");
    if (returnState()) {
      names.addAll(states());
    }
    return names;
  }

  @Override
  default List<String> stateInputNames() {
    return stateInputs() ? states() : List.of();
  }

  @Override
  default Optional<SummaryNote> summaryNote(Shape input) {
    return cell().map(c -> c.sizeNote(name(), parameterCount(input), 1, input.dim(-1), units()));
  }

  @Override
  default int stateSize() {
    return units();
  }

  /** The most units a recurrent layer may have: an LSTM's four gate blocks must fit one int dimension. */
  int MAX_UNITS = Integer.MAX_VALUE / 4;

  /** Checks the fields every recurrent layer shares. */
  static void check(String name, int units, Activation activation, Initializer kernel, Initializer recurrent, Initializer bias) {
    Layer.checkName(name);
    Layer.checkPositive(name, "units", units);
    if (units > MAX_UNITS) {
      throw new IllegalArgumentException("layer '" + name + "': units is " + units + ", expected at most " + MAX_UNITS
          + " (four gate blocks of units must fit a dimension)");
    }
    Activation.checkRecurrent(name, "activation", activation);
    if (kernel == null || recurrent == null || bias == null) {
      throw new IllegalArgumentException("layer '" + name + "': kernel, recurrent and bias initializers are required");
    }
  }
}

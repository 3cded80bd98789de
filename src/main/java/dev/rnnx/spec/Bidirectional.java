package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a recurrent layer over each sequence forwards and backwards and merges the two (Schuster and
 * Paliwal, 1997; Keras's {@code Bidirectional}). The backward pass reads steps L−1 … 0 of a
 * sequence of length L; its sequence output is re-reversed so that step t of both halves belongs
 * to input step t (the seeds' {@code concat([h_f, h_b[::-1]])}), and is zero past L. ONNX: one
 * recurrent node with {@code direction="bidirectional"}.
 *
 * <p>With {@code go_backwards: true} on the wrapped layer the layer is Keras's {@code Bidirectional}
 * around such a layer (its {@code forward_layer} is the wrapped one, its {@code backward_layer} the
 * copy with {@code go_backwards} flipped; keras/layers/rnn/bidirectional.py): the {@code forward}
 * parameters read each sequence backwards and the {@code backward} ones forwards, and the output is
 * {@code merge(y, y_rev)} with {@code y} the first half's output and {@code y_rev} the second half's,
 * a sequence {@code y_rev} reversed within each length. A sequence output is then in the first half's
 * processing order (entry p belongs to input step L−1−p) and a concat puts the backward-reading half
 * first. No state inputs or {@code return_state} there.
 *
 * <p>Parameters are the wrapped layer's, twice: {@code <name>/forward/kernel},
 * {@code <name>/backward/kernel}, … Outputs: {@code output}, then with {@code return_state}
 * {@code forward_h}, ({@code forward_c}), {@code backward_h}, ({@code backward_c}). With state
 * inputs the model takes {@code <name>_forward_h0}, … .
 *
 * @param name layer name
 * @param layer the wrapped layer; its name is not used; {@code go_backwards} swaps the directions the halves read
 * @param mergeMode how the halves are joined
 */
public record Bidirectional(String name, RecurrentLayer layer, MergeMode mergeMode) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "bidirectional";

  /** Names of the two directions, in ONNX's order. */
  public static final List<String> DIRECTIONS = List.of("forward", "backward");

  /** Validates the fields. */
  public Bidirectional {
    Layer.checkName(name);
    if (layer == null) {
      throw new IllegalArgumentException("layer '" + name + "': the wrapped recurrent layer is missing");
    }
    if (layer.goBackwards() && (layer.returnState() || layer.stateInputs())) {
      throw new IllegalArgumentException("layer '" + name + "': the wrapped layer sets go_backwards together with "
          + (layer.returnState() ? "return_state" : "state_inputs") + ", expected go_backwards: false there");
    }
    if (mergeMode == null) {
      throw new IllegalArgumentException("layer '" + name + "': merge_mode is missing");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  /**
   * Whether the {@code forward} parameters read each sequence backwards (the wrapped layer sets
   * {@code go_backwards}): Keras's halves, swapped, and a sequence output in reverse time order.
   */
  public boolean reversed() {
    return layer.goBackwards();
  }

  /**
   * Whether {@code layer}'s sequence output comes in reverse time order (the processing order of a
   * backward read): a {@code go_backwards} recurrent layer, or a {@link #reversed()} bidirectional.
   */
  public static boolean reversesTime(Layer layer) {
    return layer instanceof RecurrentLayer r && r.goBackwards() || layer instanceof Bidirectional b && b.reversed();
  }

  /** Whether the half of {@code direction} ({@code forward} or {@code backward}) reads each sequence backwards. */
  public boolean readsBackwards(String direction) {
    return direction.equals(DIRECTIONS.get(1)) != reversed();
  }

  /** The width of the merged output. */
  public int outputUnits() {
    return mergeMode == MergeMode.CONCAT ? 2 * layer.units() : layer.units();
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    List<Shape> inner = layer.outputShapes(input);
    List<Shape> shapes = new ArrayList<>();
    shapes.add(inner.get(0).withLast(outputUnits()));
    for (int d = 0; d < 2; d++) {
      shapes.addAll(inner.subList(1, inner.size()));
    }
    return shapes;
  }

  @Override
  public List<String> outputNames() {
    List<String> names = new ArrayList<>();
    names.add("output");
    if (layer.returnState()) {
      names.addAll(stateNames());
    }
    return names;
  }

  @Override
  public List<String> stateInputNames() {
    return layer.stateInputs() ? stateNames() : List.of();
  }

  @Override
  public Optional<SummaryNote> summaryNote(Shape input) {
    return layer.cell().map(c -> c.sizeNote(name, parameterCount(input), DIRECTIONS.size(), input.dim(-1), layer.units()));
  }

  @Override
  public int stateSize() {
    return layer.units();
  }

  private List<String> stateNames() {
    List<String> names = new ArrayList<>();
    for (String d : DIRECTIONS) {
      layer.states().forEach(s -> names.add(d + "_" + s));
    }
    return names;
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    List<ParameterSpec> params = new ArrayList<>();
    for (String d : DIRECTIONS) {
      for (ParameterSpec p : layer.parameters(input)) {
        params.add(new ParameterSpec(directionPrefix(d) + p.name().substring(layer.name().length() + 1), p.shape()));
      }
    }
    return params;
  }

  /** The parameter-name prefix of one direction, e.g. {@code bi/forward/}. */
  public String directionPrefix(String direction) {
    return name + "/" + direction + "/";
  }
}

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Long short-term memory layer (Hochreiter and Schmidhuber, 1997), Keras semantics.
 *
 * <pre>
 * z = x_t · kernel + h_{t-1} · recurrent_kernel + bias     (gate blocks i, f, c, o)
 * i = r(z_i)   f = r(z_f)   o = r(z_o)   c~ = a(z_c)
 * c_t = f ⊙ c_{t-1} + i ⊙ c~      h_t = o ⊙ a(c_t)
 * </pre>
 *
 * where {@code r} is the recurrent activation (sigmoid) and {@code a} the activation (tanh).
 * Canonical parameters: {@code kernel [in, 4H]}, {@code recurrent_kernel [H, 4H]}, {@code bias [4H]}.
 *
 * @param name layer name
 * @param units hidden size H
 * @param returnSequences output every step {@code [B, T, H]} rather than the last {@code [B, H]}
 * @param returnState also output the final {@code h} and {@code c}
 * @param activation the cell and output activation {@code a}
 * @param recurrentActivation the gate activation {@code r}
 * @param useBias whether the layer has a bias
 */
public record Lstm(
    String name,
    int units,
    boolean returnSequences,
    boolean returnState,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias)
    implements Layer {

  /** Recipe kind. */
  public static final String KIND = "lstm";

  /** Gate order of the canonical layout. */
  public static final List<String> GATES = List.of("i", "f", "c", "o");

  /** Validates the fields. */
  public Lstm {
    Layer.checkName(name);
    Layer.checkPositive(name, "units", units);
    if (activation == null || recurrentActivation == null) {
      throw new IllegalArgumentException(
          "layer '" + name + "': activation and recurrent_activation are required, expected one of " + Activation.choices());
    }
    if (activation == Activation.LINEAR || recurrentActivation == Activation.LINEAR) {
      throw new IllegalArgumentException(
          "layer '" + name + "': 'linear' is not an LSTM activation, expected one of [tanh, sigmoid, relu]");
    }
  }

  /** An LSTM with Keras's default activations (tanh, sigmoid) and a bias. */
  public static Lstm of(String name, int units, boolean returnSequences) {
    return new Lstm(name, units, returnSequences, false, Activation.TANH, Activation.SIGMOID, true);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    if (input.rank() != 3) {
      throw new IllegalArgumentException(
          "layer '" + name + "' expects a sequence input (batch, time, features), got " + input);
    }
    List<Shape> shapes = new ArrayList<>();
    Shape state = Shape.of(input.dim(0), units);
    shapes.add(returnSequences ? Shape.of(input.dim(0), input.dim(1), units) : state);
    if (returnState) {
      shapes.add(state);
      shapes.add(state);
    }
    return shapes;
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int in = input.dim(-1);
    List<ParameterSpec> params = new ArrayList<>();
    params.add(new ParameterSpec(name + "/kernel", new int[] {in, 4 * units}));
    params.add(new ParameterSpec(name + "/recurrent_kernel", new int[] {units, 4 * units}));
    if (useBias) {
      params.add(new ParameterSpec(name + "/bias", new int[] {4 * units}));
    }
    return params;
  }

  @Override
  public List<String> outputNames() {
    return returnState ? List.of("output", "h", "c") : List.of("output");
  }
}

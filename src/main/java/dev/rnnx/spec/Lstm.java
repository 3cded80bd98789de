package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Long short-term memory layer (Hochreiter and Schmidhuber, 1997), Keras semantics, with optional
 * peephole connections (Gers and Schmidhuber, 2000; TF's {@code PeepholeLSTMCell}).
 *
 * <pre>
 * z = x_t · kernel + h_{t-1} · recurrent_kernel + bias     (gate blocks i, f, c, o)
 * i = r(z_i + p_i ⊙ c_{t-1})   f = r(z_f + p_f ⊙ c_{t-1})   c~ = a(z_c)
 * c_t = f ⊙ c_{t-1} + i ⊙ c~
 * o = r(z_o + p_o ⊙ c_t)       h_t = o ⊙ a(c_t)
 * </pre>
 *
 * where {@code r} is the recurrent activation (sigmoid), {@code a} the activation (tanh) and the
 * peephole terms are present only with {@code peephole}. Canonical parameters:
 * {@code kernel [in, 4H]}, {@code recurrent_kernel [H, 4H]}, {@code bias [4H]} (gate order
 * i, f, c, o), {@code peephole [3H]} (order i, f, o). With {@code unit_forget_bias} the forget
 * block of the bias starts at 1. Peepholes start from the kernel initializer drawn as three
 * {@code [H]} vectors (fans H each), as TF's {@code PeepholeLSTMCell} does.
 *
 * @param name layer name
 * @param units hidden size H
 * @param returnSequences output every step
 * @param returnState also output the final {@code h} and {@code c}
 * @param goBackwards read sequences backwards
 * @param stateInputs take {@code h0}, {@code c0} as model inputs
 * @param activation the cell and output activation {@code a}
 * @param recurrentActivation the gate activation {@code r}
 * @param useBias whether the layer has a bias
 * @param unitForgetBias start the forget-gate bias at 1
 * @param peephole whether the gates see the cell state
 * @param kernelInitializer initial kernel
 * @param recurrentInitializer initial recurrent kernel
 * @param biasInitializer initial bias (before {@code unit_forget_bias})
 */
public record Lstm(
    String name,
    int units,
    boolean returnSequences,
    boolean returnState,
    boolean goBackwards,
    boolean stateInputs,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias,
    boolean unitForgetBias,
    boolean peephole,
    Initializer kernelInitializer,
    Initializer recurrentInitializer,
    Initializer biasInitializer)
    implements RecurrentLayer {

  /** Recipe kind. */
  public static final String KIND = "lstm";

  /** Gate order of the canonical kernels and bias. */
  public static final List<String> GATES = List.of("i", "f", "c", "o");

  /** Gate order of the canonical peephole vector. */
  public static final List<String> PEEPHOLE_GATES = List.of("i", "f", "o");

  /** Validates the fields. */
  public Lstm {
    RecurrentLayer.check(name, units, activation, kernelInitializer, recurrentInitializer, biasInitializer);
    Activation.checkRecurrent(name, "recurrent_activation", recurrentActivation);
  }

  /** The walking skeleton's constructor: no peepholes, no reversal, Keras's initializers. */
  public Lstm(String name, int units, boolean returnSequences, boolean returnState, Activation activation,
      Activation recurrentActivation, boolean useBias) {
    this(name, units, returnSequences, returnState, false, false, activation, recurrentActivation, useBias, true, false,
        Initializer.GLOROT_UNIFORM, Initializer.ORTHOGONAL, Initializer.ZEROS);
  }

  /** An LSTM with Keras's defaults (tanh, sigmoid, bias, unit forget bias). */
  public static Lstm of(String name, int units, boolean returnSequences) {
    return builder(name, units).returnSequences(returnSequences).build();
  }

  /** A builder with Keras's defaults. */
  public static Builder builder(String name, int units) {
    return new Builder(name, units);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String typeName() {
    return "LSTM";
  }

  @Override
  public Optional<Cell> cell() {
    return Optional.of(Cell.LSTM);
  }

  @Override
  public int gates() {
    return 4;
  }

  @Override
  public List<String> states() {
    return List.of("h", "c");
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int in = input.dim(-1);
    List<ParameterSpec> params = new ArrayList<>();
    params.add(new ParameterSpec(name + "/kernel", new int[] {in, Math.multiplyExact(4, units)}));
    params.add(new ParameterSpec(name + "/recurrent_kernel", new int[] {units, Math.multiplyExact(4, units)}));
    if (useBias) {
      params.add(new ParameterSpec(name + "/bias", new int[] {Math.multiplyExact(4, units)}));
    }
    if (peephole) {
      params.add(new ParameterSpec(name + "/peephole", new int[] {Math.multiplyExact(3, units)}));
    }
    return params;
  }

  /** Builds an {@link Lstm}; required name and units, the rest Keras's defaults. */
  public static final class Builder extends RecurrentBuilder<Builder> {
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean unitForgetBias = true;
    private boolean peephole;

    Builder(String name, int units) {
      super(name, units);
    }

    /** The gate activation. */
    public Builder recurrentActivation(Activation v) {
      recurrentActivation = v;
      return this;
    }

    /** Start the forget-gate bias at 1. */
    public Builder unitForgetBias(boolean v) {
      unitForgetBias = v;
      return this;
    }

    /** Peephole connections. */
    public Builder peephole(boolean v) {
      peephole = v;
      return this;
    }

    /** Validates and builds. */
    public Lstm build() {
      return new Lstm(name, units, returnSequences, returnState, goBackwards, stateInputs, activation, recurrentActivation,
          useBias, unitForgetBias, peephole, kernelInitializer, recurrentInitializer, biasInitializer);
    }
  }
}

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gated recurrent unit (Cho et al., 2014), Keras semantics. Fewer parameters than an LSTM of the
 * same width: three gate blocks instead of four, and one state.
 *
 * <pre>
 * z = r(x_t·W_z + h_{t-1}·U_z + b_z + b'_z)       r_t = r(x_t·W_r + h_{t-1}·U_r + b_r + b'_r)
 * reset_after = true:   h~ = a(x_t·W_h + b_h + r_t ⊙ (h_{t-1}·U_h + b'_h))
 * reset_after = false:  h~ = a(x_t·W_h + (r_t ⊙ h_{t-1})·U_h + b_h)
 * h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h~
 * </pre>
 *
 * ({@code b} is the input bias, {@code b'} the recurrent bias, present only with
 * {@code reset_after}; without it {@code b'} is zero.) Canonical parameters: {@code kernel [in, 3H]}, {@code recurrent_kernel [H, 3H]} (gate order
 * z, r, h), and {@code bias [2, 3H]} (input bias, recurrent bias) with {@code reset_after}, else
 * {@code bias [3H]}. ONNX's {@code GRU} with {@code linear_before_reset = 1} is {@code reset_after}.
 *
 * @param name layer name
 * @param units hidden size H
 * @param returnSequences output every step
 * @param returnState also output the final {@code h}
 * @param goBackwards read sequences backwards
 * @param stateInputs take {@code h0} as a model input
 * @param activation the candidate activation {@code a}
 * @param recurrentActivation the gate activation {@code r}
 * @param useBias whether the layer has a bias
 * @param resetAfter apply the reset gate after the recurrent matrix product (Keras 2 default)
 * @param kernelInitializer initial kernel
 * @param recurrentInitializer initial recurrent kernel
 * @param biasInitializer initial bias
 */
public record Gru(
    String name,
    int units,
    boolean returnSequences,
    boolean returnState,
    boolean goBackwards,
    boolean stateInputs,
    Activation activation,
    Activation recurrentActivation,
    boolean useBias,
    boolean resetAfter,
    Initializer kernelInitializer,
    Initializer recurrentInitializer,
    Initializer biasInitializer)
    implements RecurrentLayer {

  /** Recipe kind. */
  public static final String KIND = "gru";

  /** Gate order of the canonical kernels and bias. */
  public static final List<String> GATES = List.of("z", "r", "h");

  /** Validates the fields. */
  public Gru {
    RecurrentLayer.check(name, units, activation, kernelInitializer, recurrentInitializer, biasInitializer);
    Activation.checkRecurrent(name, "recurrent_activation", recurrentActivation);
  }

  /** A builder with Keras's defaults (tanh, sigmoid, bias, reset_after). */
  public static Builder builder(String name, int units) {
    return new Builder(name, units);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String typeName() {
    return "GRU";
  }

  @Override
  public Optional<Cell> cell() {
    return Optional.of(Cell.GRU);
  }

  @Override
  public int gates() {
    return 3;
  }

  @Override
  public List<String> states() {
    return List.of("h");
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int in = input.dim(-1);
    List<ParameterSpec> params = new ArrayList<>();
    params.add(new ParameterSpec(name + "/kernel", new int[] {in, Math.multiplyExact(3, units)}));
    params.add(new ParameterSpec(name + "/recurrent_kernel", new int[] {units, Math.multiplyExact(3, units)}));
    if (useBias) {
      params.add(new ParameterSpec(name + "/bias", resetAfter ? new int[] {2, Math.multiplyExact(3, units)} : new int[] {Math.multiplyExact(3, units)}));
    }
    return params;
  }

  /** Builds a {@link Gru}. */
  public static final class Builder extends RecurrentBuilder<Builder> {
    private Activation recurrentActivation = Activation.SIGMOID;
    private boolean resetAfter = true;

    Builder(String name, int units) {
      super(name, units);
    }

    /** The gate activation. */
    public Builder recurrentActivation(Activation v) {
      recurrentActivation = v;
      return this;
    }

    /** Reset gate after the recurrent product. */
    public Builder resetAfter(boolean v) {
      resetAfter = v;
      return this;
    }

    /** Validates and builds. */
    public Gru build() {
      return new Gru(name, units, returnSequences, returnState, goBackwards, stateInputs, activation, recurrentActivation,
          useBias, resetAfter, kernelInitializer, recurrentInitializer, biasInitializer);
    }
  }
}

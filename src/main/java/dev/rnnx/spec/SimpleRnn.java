package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain recurrent layer of the seeds: {@code h_t = a(x_t · kernel + h_{t-1} · recurrent_kernel + bias)}
 * (the seeds' {@code u_t = W_in x_t + W z_{t-1} + b}, {@code z_t = f(u_t)}). Canonical parameters:
 * {@code kernel [in, H]}, {@code recurrent_kernel [H, H]}, {@code bias [H]}. ONNX's {@code RNN}.
 *
 * @param name layer name
 * @param units hidden size H
 * @param returnSequences output every step
 * @param returnState also output the final {@code h}
 * @param goBackwards read sequences backwards
 * @param stateInputs take {@code h0} as a model input
 * @param activation {@code a}: tanh, relu or sigmoid (or another recurrent activation)
 * @param useBias whether the layer has a bias
 * @param kernelInitializer initial kernel
 * @param recurrentInitializer initial recurrent kernel
 * @param biasInitializer initial bias
 */
public record SimpleRnn(
    String name,
    int units,
    boolean returnSequences,
    boolean returnState,
    boolean goBackwards,
    boolean stateInputs,
    Activation activation,
    boolean useBias,
    Initializer kernelInitializer,
    Initializer recurrentInitializer,
    Initializer biasInitializer)
    implements RecurrentLayer {

  /** Recipe kind. */
  public static final String KIND = "simple_rnn";

  /** Validates the fields. */
  public SimpleRnn {
    RecurrentLayer.check(name, units, activation, kernelInitializer, recurrentInitializer, biasInitializer);
  }

  /** A builder with Keras's defaults (tanh, bias). */
  public static Builder builder(String name, int units) {
    return new Builder(name, units);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String typeName() {
    return "SimpleRNN";
  }

  @Override
  public int gates() {
    return 1;
  }

  @Override
  public List<String> states() {
    return List.of("h");
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int in = input.dim(-1);
    List<ParameterSpec> params = new ArrayList<>();
    params.add(new ParameterSpec(name + "/kernel", new int[] {in, units}));
    params.add(new ParameterSpec(name + "/recurrent_kernel", new int[] {units, units}));
    if (useBias) {
      params.add(new ParameterSpec(name + "/bias", new int[] {units}));
    }
    return params;
  }

  /** Builds a {@link SimpleRnn}. */
  public static final class Builder extends RecurrentBuilder<Builder> {
    Builder(String name, int units) {
      super(name, units);
    }

    /** Validates and builds. */
    public SimpleRnn build() {
      return new SimpleRnn(name, units, returnSequences, returnState, goBackwards, stateInputs, activation, useBias,
          kernelInitializer, recurrentInitializer, biasInitializer);
    }
  }
}

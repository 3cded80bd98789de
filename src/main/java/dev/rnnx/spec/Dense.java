package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A fully connected layer applied to the last axis: {@code y = activation(x · kernel + bias)}.
 * On a sequence it acts on every time step (Keras semantics for rank-3 inputs). Softmax
 * normalises the last axis.
 *
 * @param name layer name
 * @param units output size
 * @param activation applied after the affine map
 * @param useBias whether a bias is added
 * @param kernelInitializer initial kernel
 * @param biasInitializer initial bias
 */
public record Dense(String name, int units, Activation activation, boolean useBias, Initializer kernelInitializer,
    Initializer biasInitializer) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "dense";

  /** Validates the fields. */
  public Dense {
    Layer.checkName(name);
    Layer.checkPositive(name, "units", units);
    if (activation == null) {
      throw new IllegalArgumentException("layer '" + name + "': activation is missing, expected one of "
          + Activation.choices(java.util.EnumSet.allOf(Activation.class)));
    }
    if (kernelInitializer == null || biasInitializer == null) {
      throw new IllegalArgumentException("layer '" + name + "': kernel and bias initializers are required");
    }
  }

  /** A dense layer with Keras's initializers (Glorot-uniform kernel, zero bias). */
  public Dense(String name, int units, Activation activation, boolean useBias) {
    this(name, units, activation, useBias, Initializer.GLOROT_UNIFORM, Initializer.ZEROS);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Optional<Dense> denseMap() {
    return Optional.of(this);
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    if (input.rank() < 2) {
      throw new IllegalArgumentException("layer '" + name + "' expects an input of rank >= 2, got " + input);
    }
    return List.of(input.withLast(units));
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int in = input.dim(-1);
    List<ParameterSpec> params = new ArrayList<>();
    params.add(new ParameterSpec(name + "/kernel", new int[] {in, units}));
    if (useBias) {
      params.add(new ParameterSpec(name + "/bias", new int[] {units}));
    }
    return params;
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }
}

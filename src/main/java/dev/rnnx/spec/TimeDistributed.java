package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies a {@link Dense} layer to every time step of {@code [batch, time, features]}, Keras's
 * {@code TimeDistributed(Dense(...))}. Parameters are named after this wrapper:
 * {@code <name>/kernel}, {@code <name>/bias}.
 *
 * @param name layer name
 * @param layer the wrapped dense layer; its name is not used
 */
public record TimeDistributed(String name, Dense layer) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "time_distributed";

  /** Validates the fields. */
  public TimeDistributed {
    Layer.checkName(name);
    if (layer == null) {
      throw new IllegalArgumentException("layer '" + name + "': the wrapped dense layer is missing");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public Optional<Dense> denseMap() {
    return Optional.of(asDense());
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name, input);
    return layer.outputShapes(input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    List<ParameterSpec> params = new ArrayList<>();
    for (ParameterSpec p : layer.parameters(input)) {
      params.add(new ParameterSpec(name + p.name().substring(layer.name().length()), p.shape()));
    }
    return params;
  }

  /** The wrapped layer renamed to this wrapper's name, so that its parameters are this wrapper's. */
  public Dense asDense() {
    return new Dense(name, layer.units(), layer.activation(), layer.useBias(), layer.kernelInitializer(), layer.biasInitializer());
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }
}

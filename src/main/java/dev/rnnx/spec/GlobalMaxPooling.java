package dev.rnnx.spec;

import java.util.List;

/**
 * The maximum over time of a sequence {@code [B, T, d]} → {@code [B, d]}, over each sequence's valid
 * steps only when the model has lengths (Keras's {@code GlobalMaxPooling1D}; Keras itself ignores masks here).
 * No parameters.
 *
 * @param name layer name
 */
public record GlobalMaxPooling(String name) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "global_max_pooling";

  /** Validates the name. */
  public GlobalMaxPooling {
    Layer.checkName(name);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String typeName() {
    return "GlobalMaxPooling1D";
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    return GlobalAveragePooling.pooled(name, input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return List.of();
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }

  @Override
  public boolean recurrent() {
    return true;
  }
}

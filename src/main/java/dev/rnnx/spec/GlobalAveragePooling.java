package dev.rnnx.spec;

import java.util.List;

/**
 * The mean over time of a sequence {@code [B, T, d]} → {@code [B, d]}, over each sequence's valid
 * steps only when the model has lengths (Keras's {@code GlobalAveragePooling1D} with a mask).
 * No parameters.
 *
 * @param name layer name
 */
public record GlobalAveragePooling(String name) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "global_average_pooling";

  /** Validates the name. */
  public GlobalAveragePooling {
    Layer.checkName(name);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String typeName() {
    return "GlobalAveragePooling1D";
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    return pooled(name, input);
  }

  /** The output of a pooling over time, {@code [B, T, d] → [B, d]}, refusing an input that is not a sequence. */
  static List<Shape> pooled(String name, Shape input) {
    Layer.checkSequence(name, input);
    return List.of(Shape.of(input.dim(0), input.dim(2)));
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

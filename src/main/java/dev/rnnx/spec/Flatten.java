package dev.rnnx.spec;

import java.util.List;

/**
 * A sequence of a fixed length flattened into one vector per row, {@code [B, steps, d] → [B,
 * steps·d]}, step-major (Keras's {@code Flatten} after a layer that returns sequences: row
 * {@code b}'s output {@code t·d + j} is step {@code t}'s feature {@code j}). The time length is part
 * of the layer, since the width of what follows depends on it: an input of another length is
 * refused. No parameters; lengths are ignored (Keras's Flatten reads every step).
 *
 * @param name layer name
 * @param steps the fixed number of time steps
 */
public record Flatten(String name, int steps) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "flatten";

  /** Validates the fields. */
  public Flatten {
    Layer.checkName(name);
    Layer.checkPositive(name, "steps", steps);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name, input);
    if (input.dim(1) != Shape.DYNAMIC && input.dim(1) != steps) {
      throw new IllegalArgumentException("layer '" + name + "' flattens " + steps + " steps, but its input has " + input.dim(1));
    }
    return List.of(Shape.of(Shape.DYNAMIC, Math.multiplyExact(steps, input.dim(-1))));
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return List.of();
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }

  /** The message for an input of another length. */
  public String wrongLength(long time) {
    return "layer '" + name + "' flattens sequences of exactly " + steps + " steps, got " + time;
  }
}

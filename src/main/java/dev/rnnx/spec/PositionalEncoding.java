package dev.rnnx.spec;

import java.util.List;

/**
 * Adds the sinusoidal position signal of Vaswani et al. (2017) to a sequence {@code [B, T, d]}:
 * {@code PE[t, 2i] = sin(t / 10000^(2i/d))}, {@code PE[t, 2i+1] = cos(t / 10000^(2i/d))}, after
 * optionally scaling the input by {@code √d} (as the paper scales embeddings). No parameters.
 * Sequences longer than {@code maxLength} are refused (the exported graphs hold the table).
 *
 * @param name layer name
 * @param maxLength the longest sequence served
 * @param scaleInput multiply the input by √d before adding
 */
public record PositionalEncoding(String name, int maxLength, boolean scaleInput) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "positional_encoding";

  /** Validates the fields. */
  public PositionalEncoding {
    Layer.checkName(name);
    Layer.checkPositive(name, "max_length", maxLength);
  }

  /** The signal at step {@code t}, feature {@code j} of a width-{@code d} input. */
  public static double signal(int t, int j, int d) {
    double angle = t / Math.pow(10000.0, (2 * (j / 2)) / (double) d);
    return j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name, input);
    return List.of(input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return List.of();
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }
}

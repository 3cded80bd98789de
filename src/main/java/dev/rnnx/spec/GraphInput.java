package dev.rnnx.spec;

/**
 * One named input of a {@link Graph}: float features {@code [batch, time, features]} or token ids
 * {@code [batch, time]}. Every input has its own time axis ({@code time_<name>}); the batch axis is
 * shared. An input may be masked ({@link ModelInput#maskValue()}, see {@link GraphMasks}); lengths
 * are not supported on graph inputs yet.
 *
 * @param name the input's name, unique in its graph
 * @param input what it holds
 */
public record GraphInput(String name, ModelInput input) {

  /** Validates the name; refuses lengths. */
  public GraphInput {
    Layer.checkName(name);
    if (input == null) {
      throw new IllegalArgumentException("graph input '" + name + "': what it holds is missing");
    }
    if (input.lengths()) {
      throw new IllegalArgumentException("graph input '" + name + "' declares lengths, which graph models do not support yet;"
          + " expected plain features or token ids (a mask_value is supported)");
    }
  }

  /** The input's tensor. */
  public TensorSpec tensor() {
    return new TensorSpec(name, input.shape(), input.tokens() ? DType.INT64 : DType.FLOAT32);
  }

  /** The name of its time axis in the input contract. */
  public String timeAxis() {
    return "time_" + name;
  }
}

package dev.rnnx.spec;

import java.util.List;

/**
 * Maps token ids {@code [batch, time]} to vectors {@code [batch, time, output_dim]} by looking up
 * rows of {@code embeddings [input_dim, output_dim]} (the seeds' one-hot times embedding matrix).
 * Ids must lie in {@code [0, input_dim)}; backends refuse others before any native call. ONNX's
 * {@code Gather}. Only the first layer of a model may be an embedding.
 *
 * @param name layer name
 * @param inputDim vocabulary size
 * @param outputDim vector size
 * @param initializer initial embeddings (Keras: U(−0.05, 0.05))
 */
public record Embedding(String name, int inputDim, int outputDim, Initializer initializer) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "embedding";

  /** Validates the fields. */
  public Embedding {
    Layer.checkName(name);
    Layer.checkPositive(name, "input_dim", inputDim);
    Layer.checkPositive(name, "output_dim", outputDim);
    if (initializer == null) {
      throw new IllegalArgumentException("layer '" + name + "': initializer is missing");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    if (input.rank() != 2) {
      throw new IllegalArgumentException("layer '" + name + "' expects token ids (batch, time), got " + input);
    }
    return List.of(Shape.of(input.dim(0), input.dim(1), outputDim));
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return List.of(new ParameterSpec(name + "/embeddings", new int[] {inputDim, outputDim}));
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }
}

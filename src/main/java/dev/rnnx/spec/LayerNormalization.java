package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Layer normalisation over the last axis (Ba et al., 2016):
 * {@code y = (x − mean) / sqrt(var + epsilon) · gamma + beta}, with the biased variance. ONNX's
 * {@code LayerNormalization} (opset 17). Parameters {@code gamma [d]} (starts at 1) and
 * {@code beta [d]} (starts at 0).
 *
 * @param name layer name
 * @param epsilon added to the variance (Keras's default 0.001; ONNX's 1e-5)
 * @param center whether to add {@code beta}
 * @param scale whether to multiply by {@code gamma}
 */
public record LayerNormalization(String name, double epsilon, boolean center, boolean scale) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "layer_normalization";

  /** Validates the fields. */
  public LayerNormalization {
    Layer.checkName(name);
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("layer '" + name + "': epsilon is " + epsilon + ", expected a finite number > 0");
    }
  }

  /** Keras's defaults: epsilon 0.001, center and scale. */
  public static LayerNormalization of(String name) {
    return new LayerNormalization(name, 1e-3, true, true);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    if (input.rank() < 2) {
      throw new IllegalArgumentException("layer '" + name + "' expects an input of rank >= 2, got " + input);
    }
    return List.of(input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int d = input.dim(-1);
    List<ParameterSpec> params = new ArrayList<>();
    if (scale) {
      params.add(new ParameterSpec(name + "/gamma", new int[] {d}));
    }
    if (center) {
      params.add(new ParameterSpec(name + "/beta", new int[] {d}));
    }
    return params;
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }
}

package dev.rnnx.spec;

import java.util.List;

/**
 * A fixed per-feature affine map on the last axis, Keras's {@code Normalization} layer:
 * {@code y = (x − mean) / σ}, or with {@code invert} {@code y = x · σ + mean}, where
 * {@code σ = max(√variance, 1e-7)}. It has no trainable parameters: its constants are part of the
 * spec, fitted on a data source's training part ({@code data.SeriesWindows}), so that an exported
 * graph takes raw values at its input and returns raw units at its output.
 *
 * <p>Written in a recipe without {@code mean} and {@code variance}, the layer is <em>unfitted</em>:
 * the run fills them from the training data before training ({@code pipeline.RunData}); an unfitted
 * layer cannot be computed by any face.
 *
 * @param name layer name
 * @param mean one value per feature of the last axis; empty when unfitted
 * @param variance one value ≥ 0 per feature; empty when unfitted
 * @param invert map normalised values back to raw units instead
 */
public record Normalization(String name, List<Double> mean, List<Double> variance, boolean invert) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "normalization";

  /** The smallest σ, Keras's {@code backend.epsilon()}. */
  public static final double MIN_SCALE = 1e-7;

  /** Validates the fields. */
  public Normalization {
    Layer.checkName(name);
    mean = List.copyOf(mean == null ? List.of() : mean);
    variance = List.copyOf(variance == null ? List.of() : variance);
    if (mean.size() != variance.size()) {
      throw new IllegalArgumentException("layer '" + name + "': mean has " + mean.size() + " values but variance has "
          + variance.size() + ", expected one of each per feature");
    }
    for (int i = 0; i < mean.size(); i++) {
      if (!Double.isFinite(mean.get(i)) || !(variance.get(i) >= 0) || Double.isInfinite(variance.get(i))) {
        throw new IllegalArgumentException("layer '" + name + "': feature " + i + " has mean " + mean.get(i) + " and variance "
            + variance.get(i) + ", expected a finite mean and a finite variance >= 0");
      }
    }
  }

  /** An unfitted layer, whose constants the run fits on the training data. */
  public static Normalization unfitted(String name, boolean invert) {
    return new Normalization(name, List.of(), List.of(), invert);
  }

  /** Whether the constants are set. */
  public boolean fitted() {
    return !mean.isEmpty();
  }

  /** This layer with the given constants. */
  public Normalization fit(double[] mean, double[] variance) {
    return new Normalization(name, java.util.Arrays.stream(mean).boxed().toList(),
        java.util.Arrays.stream(variance).boxed().toList(), invert);
  }

  /** σ of feature {@code i}: {@code max(√variance, 1e-7)}. */
  public double scale(int i) {
    return Math.max(Math.sqrt(variance.get(i)), MIN_SCALE);
  }

  /** The means, one per feature, as an array. */
  public double[] means() {
    requireFitted();
    return mean.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** σ per feature, as an array. */
  public double[] scales() {
    requireFitted();
    double[] s = new double[mean.size()];
    java.util.Arrays.setAll(s, this::scale);
    return s;
  }

  /**
   * The float32 constants the exported graphs hold, {@code [shift, scale]} per feature: normalising
   * computes {@code (x + shift) · scale} with {@code shift = −mean}, {@code scale = 1/σ}; inverting
   * computes {@code x · scale + shift} with {@code scale = σ}, {@code shift = mean}.
   */
  public float[][] graphConstants() {
    double[] m = means();
    double[] s = scales();
    float[] shift = new float[m.length];
    float[] scale = new float[m.length];
    for (int i = 0; i < m.length; i++) {
      shift[i] = (float) (invert ? m[i] : -m[i]);
      scale[i] = (float) (invert ? s[i] : 1 / s[i]);
    }
    return new float[][] {shift, scale};
  }

  /** The map on one value of feature {@code i}: {@code (x − mean) / σ}, or {@code x · σ + mean} when inverted. */
  public double apply(int i, double x) {
    return invert ? x * scale(i) + mean.get(i) : (x - mean.get(i)) / scale(i);
  }

  /**
   * Refuses an unfitted layer.
   *
   * @throws IllegalArgumentException when {@code mean} and {@code variance} are not set
   */
  public void requireFitted() {
    if (!fitted()) {
      throw new IllegalArgumentException("layer '" + name + "' (normalization) has no mean and variance: they are fitted on"
          + " the training part of a series data source (data.task: csv) when the recipe runs");
    }
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
    if (fitted() && input.dim(-1) != mean.size()) {
      throw new IllegalArgumentException("layer '" + name + "' holds " + mean.size() + " feature(s) but its input is " + input);
    }
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

package dev.rnnx.ref;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;

/** Checks an input tensor against a model's declared input before anything runs. */
public final class ModelInputs {

  private ModelInputs() {}

  /**
   * Checks rank 3, the feature size, a non-empty batch and sequence, and finite values.
   *
   * @throws IllegalArgumentException naming the first problem
   */
  public static void check(Sequential model, FloatTensor input) {
    if (input.rank() != 3) {
      throw new IllegalArgumentException("input '" + Sequential.INPUT + "' has shape " + input.shapeString()
          + ", expected rank 3 [batch, time, " + model.inputFeatures() + "]");
    }
    if (input.dim(2) != model.inputFeatures()) {
      throw new IllegalArgumentException("input '" + Sequential.INPUT + "' has " + input.dim(2) + " features (shape "
          + input.shapeString() + "), expected " + model.inputFeatures());
    }
    if (input.dim(0) < 1) {
      throw new IllegalArgumentException("input '" + Sequential.INPUT + "' has an empty batch, expected at least one sequence");
    }
    if (input.dim(1) < 1) {
      throw new IllegalArgumentException("input '" + Sequential.INPUT + "' has an empty sequence, expected at least one time step");
    }
    float[] d = input.data();
    for (int i = 0; i < d.length; i++) {
      if (!Float.isFinite(d[i])) {
        throw new IllegalArgumentException("input '" + Sequential.INPUT + "' holds " + d[i] + " at flat index " + i
            + ", expected finite values");
      }
    }
  }
}

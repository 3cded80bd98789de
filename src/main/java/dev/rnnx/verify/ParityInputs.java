package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded parity inputs: every combination of the given batch sizes and sequence lengths, values
 * drawn from N(0, 1). The same seed gives the same inputs on every machine.
 */
public final class ParityInputs {

  private ParityInputs() {}

  /** The default grid: batch sizes 1 and 7, sequence lengths 1, the training length and 4× it. */
  public static List<ParityCase> standard(Sequential model, int trainingLength, long seed) {
    Set<Integer> lengths = new LinkedHashSet<>(List.of(1, trainingLength, 4 * trainingLength));
    return grid(model, List.of(1, 7), List.copyOf(lengths), seed);
  }

  /** Every combination of batch size and sequence length. */
  public static List<ParityCase> grid(Sequential model, List<Integer> batchSizes, List<Integer> lengths, long seed) {
    List<ParityCase> cases = new ArrayList<>();
    Random random = new Random(seed);
    for (int batch : batchSizes) {
      for (int length : lengths) {
        if (batch < 1 || length < 1) {
          throw new IllegalArgumentException("parity batch size " + batch + " and length " + length + " must both be >= 1");
        }
        float[] x = new float[batch * length * model.inputFeatures()];
        for (int i = 0; i < x.length; i++) {
          x[i] = (float) random.nextGaussian();
        }
        cases.add(new ParityCase("batch" + batch + "_len" + length,
            Map.of(Sequential.INPUT, FloatTensor.of(x, batch, length, model.inputFeatures()))));
      }
    }
    return cases;
  }
}

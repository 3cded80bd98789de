package dev.rnnx.verify;

import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded parity inputs for every input a model declares ({@link Sequential#inputs()}): every
 * combination of the given batch sizes and sequence lengths. The same seed gives the same inputs on
 * every machine.
 *
 * <ul>
 *   <li>{@code input}: features drawn from N(0, σ²), or token ids uniform in {@code 0 … V−1}.
 *   <li>{@code lengths}: a batch of one is full length T; a larger batch mixes lengths, always
 *       holding one sequence of length 1 and one of length T, the others uniform in between, at
 *       shuffled positions.
 *   <li>initial states {@code <layer>_<state>0}: N(0, σ²).
 * </ul>
 *
 * σ is 1 for the {@link #standard} grid. The {@link #saturating} grid uses σ = 3, which drives
 * sigmoid and tanh gates into their flat tails, where float32 rounding differences between
 * backends are largest; token ids are not scaled.
 */
public final class ParityInputs {

  /** The standard deviation of the {@link #saturating} grid. */
  public static final double SATURATING_SCALE = 3.0;

  private ParityInputs() {}

  /** The default grid: batch sizes 1 and 7, sequence lengths 1, the training length and 4× it; N(0, 1). */
  public static List<ParityCase> standard(Sequential model, int trainingLength, long seed) {
    return grid(model, List.of(1, 7), standardLengths(trainingLength), seed);
  }

  /** The standard grid with values drawn from N(0, 3²) (opt-in): gate-saturating magnitudes. */
  public static List<ParityCase> saturating(Sequential model, int trainingLength, long seed) {
    return grid(model, List.of(1, 7), standardLengths(trainingLength), seed, SATURATING_SCALE);
  }

  /** Every combination of batch size and sequence length, values from N(0, 1). */
  public static List<ParityCase> grid(Sequential model, List<Integer> batchSizes, List<Integer> lengths, long seed) {
    return grid(model, batchSizes, lengths, seed, 1.0);
  }

  /**
   * Every combination of batch size and sequence length.
   *
   * @param scale the standard deviation of features and initial states
   * @throws IllegalArgumentException for a batch size or length below 1, or a scale that is not
   *     positive and finite
   */
  public static List<ParityCase> grid(Sequential model, List<Integer> batchSizes, List<Integer> lengths, long seed,
      double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("parity input scale is " + scale + ", expected a positive finite number");
    }
    List<ParityCase> cases = new ArrayList<>();
    Random random = new Random(seed);
    for (int batch : batchSizes) {
      for (int length : lengths) {
        if (batch < 1 || length < 1) {
          throw new IllegalArgumentException("parity batch size " + batch + " and length " + length + " must both be >= 1");
        }
        String name = "batch" + batch + "_len" + length
            + (scale == 1.0 ? "" : "_sigma" + BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString());
        cases.add(new ParityCase(name, inputs(model, batch, length, random, scale)));
      }
    }
    return cases;
  }

  /**
   * One set of inputs for every declared model input, drawn from {@code random} in the order the
   * model declares them.
   */
  public static Map<String, Tensor> inputs(Sequential model, int batch, int length, Random random, double scale) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (TensorSpec spec : model.inputs()) {
      String name = spec.name();
      if (name.equals(Sequential.INPUT)) {
        if (model.input().tokens()) {
          int vocabulary = ((Embedding) model.layers().get(0)).inputDim();
          long[] ids = new long[batch * length];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(vocabulary);
          }
          inputs.put(name, LongTensor.of(ids, batch, length));
        } else {
          inputs.put(name, gaussian(random, scale, batch, length, model.inputFeatures()));
        }
      } else if (name.equals(Sequential.LENGTHS)) {
        inputs.put(name, LongTensor.of(lengths(batch, length, random), batch));
      } else {
        inputs.put(name, gaussian(random, scale, batch, spec.shape().dim(1)));
      }
    }
    return inputs;
  }

  /**
   * Mixed sequence lengths for one batch: T for a batch of one; otherwise one sequence of length 1,
   * one of length T and the rest uniform in 1 … T, at shuffled positions.
   */
  public static long[] lengths(int batch, int time, Random random) {
    long[] l = new long[batch];
    if (batch == 1) {
      l[0] = time;
      return l;
    }
    l[0] = 1;
    l[1] = time;
    for (int i = 2; i < batch; i++) {
      l[i] = 1 + random.nextInt(time);
    }
    for (int i = batch - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long v = l[i];
      l[i] = l[j];
      l[j] = v;
    }
    return l;
  }

  private static List<Integer> standardLengths(int trainingLength) {
    if (trainingLength < 1) {
      throw new IllegalArgumentException("training length is " + trainingLength + ", expected a positive integer");
    }
    Set<Integer> lengths = new LinkedHashSet<>(List.of(1, trainingLength, 4 * trainingLength));
    return List.copyOf(lengths);
  }

  private static FloatTensor gaussian(Random random, double scale, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    float[] v = new float[Math.toIntExact(n)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (scale * random.nextGaussian());
    }
    return new FloatTensor(shape, v);
  }
}

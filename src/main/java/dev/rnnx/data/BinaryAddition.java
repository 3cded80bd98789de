package dev.rnnx.data;

import dev.rnnx.spec.BinaryAdditionTask;
import dev.rnnx.spec.FloatTensor;
import java.util.SplittableRandom;

/**
 * The seeds' binary addition (001, 004): numbers {@code a, b} drawn uniformly from
 * {@code [0, 2^(bits−1))}, fed least significant bit first as two features per step
 * ({@code [a_t, b_t]}); the target at step t is bit t of {@code a + b}, which always fits in
 * {@code bits} bits. Training examples and the {@code held_out} validation sums come from two
 * separate random streams split off the seed, so the validation set does not change when the
 * number of training examples does.
 */
public final class BinaryAddition {

  private BinaryAddition() {}

  /** Generates {@code samples} training and exactly {@code held_out} validation sums from {@code seed}. */
  public static Split generate(BinaryAdditionTask task, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom train = root.split();
    SplittableRandom validation = root.split();
    return new Split(examples(task.bits(), task.samples(), train), examples(task.bits(), task.heldOut(), validation));
  }

  /** {@code n} sums of {@code bits}-bit numbers drawn from {@code random}. */
  public static Dataset examples(int bits, int n, SplittableRandom random) {
    long bound = 1L << (bits - 1);
    float[] x = new float[n * bits * 2];
    float[] y = new float[n * bits];
    for (int i = 0; i < n; i++) {
      long a = random.nextLong(bound);
      long b = random.nextLong(bound);
      long sum = a + b;
      for (int t = 0; t < bits; t++) {
        x[(i * bits + t) * 2] = (a >> t) & 1;
        x[(i * bits + t) * 2 + 1] = (b >> t) & 1;
        y[i * bits + t] = (sum >> t) & 1;
      }
    }
    return new Dataset(FloatTensor.of(x, n, bits, 2), FloatTensor.of(y, n, bits, 1));
  }

  /** Reads a little-endian bit sequence ({@code bits} values, rounded at 0.5) back into a number. */
  public static long decode(float[] bitsLsbFirst, int offset, int stride, int bits) {
    long v = 0;
    for (int t = 0; t < bits; t++) {
      if (bitsLsbFirst[offset + t * stride] >= 0.5f) {
        v |= 1L << t;
      }
    }
    return v;
  }
}

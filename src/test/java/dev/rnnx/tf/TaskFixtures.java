package dev.rnnx.tf;

import dev.rnnx.data.BinaryAddition;
import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.DataSpec;
import dev.rnnx.spec.ExportSpec;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tolerances;
import dev.rnnx.spec.TrainingSpec;
import java.util.Random;

/**
 * Small synthetic data sets of the seed tasks, generated here because the {@code data} package's
 * generators are written elsewhere, and recipes built in Java.
 */
final class TaskFixtures {

  private TaskFixtures() {}

  static Recipe recipe(String name, long seed, Sequential model, DataSpec data, Loss loss, OptimizerKind optimizer, double lr,
      int epochs, int batch, Clipping clipping, boolean accuracy) {
    return new Recipe(name, "", seed, model, data, new TrainingSpec(loss, optimizer, lr, epochs, batch, clipping, accuracy),
        new ExportSpec(17, 100), Tolerances.DEFAULT);
  }

  /** Binary addition: bits of a and b (each &lt; 2^(bits−1)), least significant first; target: bits of a + b. */
  static Dataset binaryAddition(int n, int bits, long seed) {
    return BinaryAddition.examples(bits, n, new java.util.SplittableRandom(seed));
  }

  /**
   * Context tagging: random bits; tag at t is one-hot of {@code x[t−1] + x[t+1]} (3 classes) within the
   * sequence's length (missing neighbours read 0). With {@code lengths}, steps past a sequence's
   * length hold random bits and random, wrong-on-purpose targets that training must ignore.
   */
  static Dataset contextTagging(int n, int length, boolean withLengths, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * length];
    float[] y = new float[n * length * 3];
    long[] lengths = new long[n];
    for (int i = 0; i < n; i++) {
      int l = withLengths ? 1 + random.nextInt(length) : length;
      lengths[i] = l;
      for (int t = 0; t < length; t++) {
        x[i * length + t] = random.nextInt(2);
      }
      for (int t = 0; t < length; t++) {
        int tag;
        if (t < l) {
          int left = t > 0 ? (int) x[i * length + t - 1] : 0;
          int right = t + 1 < l ? (int) x[i * length + t + 1] : 0;
          tag = left + right;
        } else {
          tag = random.nextInt(3);
        }
        y[(i * length + t) * 3 + tag] = 1;
      }
    }
    return new Dataset(FloatTensor.of(x, n, length, 1), FloatTensor.of(y, n, length, 3),
        withLengths ? LongTensor.of(lengths, n) : null);
  }

  /** Majority tokens: ids 1 … vocabulary−1 padded with 0; class: the most frequent of ids 1 … classes (no ties). */
  static Dataset majorityTokens(int n, int vocabulary, int classes, int minLength, int maxLength, long seed) {
    Random random = new Random(seed);
    long[] ids = new long[n * maxLength];
    long[] lengths = new long[n];
    float[] y = new float[n * classes];
    for (int i = 0; i < n; i++) {
      while (true) {
        int l = minLength + random.nextInt(maxLength - minLength + 1);
        int[] counts = new int[classes + 1];
        long[] row = new long[maxLength];
        for (int t = 0; t < l; t++) {
          row[t] = 1 + random.nextInt(vocabulary - 1);
          if (row[t] <= classes) {
            counts[(int) row[t]]++;
          }
        }
        int best = 1;
        boolean tie = false;
        for (int c = 2; c <= classes; c++) {
          if (counts[c] > counts[best]) {
            best = c;
            tie = false;
          } else if (counts[c] == counts[best]) {
            tie = true;
          }
        }
        if (tie || counts[best] == 0) {
          continue;
        }
        System.arraycopy(row, 0, ids, i * maxLength, maxLength);
        lengths[i] = l;
        y[i * classes + best - 1] = 1;
        break;
      }
    }
    return new Dataset(LongTensor.of(ids, n, maxLength), FloatTensor.of(y, n, classes), LongTensor.of(lengths, n));
  }

  static Split split(Dataset train, Dataset validation) {
    return new Split(train, validation);
  }
}

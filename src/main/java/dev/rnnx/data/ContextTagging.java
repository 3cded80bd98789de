package dev.rnnx.data;

import dev.rnnx.spec.ContextTaggingTask;
import dev.rnnx.spec.FloatTensor;
import java.util.SplittableRandom;

/**
 * A random bit per step (one float feature, 0 or 1); the tag at step t is
 * {@code x[t−1] + x[t+1]} with missing neighbours read as 0, one-hot over three classes
 * (0, 1, 2). Both sets are drawn from one seeded stream; the
 * last {@code round(samples · validation_fraction)} examples (at least one) are held out.
 */
public final class ContextTagging {

  private ContextTagging() {}

  /** Generates the task's examples, deterministically from {@code seed}. */
  public static Split generate(ContextTaggingTask task, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = task.samples();
    int len = task.length();
    float[] x = new float[n * len];
    float[] y = new float[n * len * ContextTaggingTask.CLASSES];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < len; t++) {
        x[i * len + t] = random.nextBoolean() ? 1f : 0f;
      }
      for (int t = 0; t < len; t++) {
        int tag = tag(x, i * len, len, t);
        y[(i * len + t) * ContextTaggingTask.CLASSES + tag] = 1f;
      }
    }
    Dataset all = new Dataset(FloatTensor.of(x, n, len, 1), FloatTensor.of(y, n, len, ContextTaggingTask.CLASSES));
    return TaskData.holdOutLast(all, task.validationFraction(), "context_tagging");
  }

  /** The tag of step {@code t} of the sequence at {@code offset}: x[t−1] + x[t+1], neighbours outside read 0. */
  static int tag(float[] x, int offset, int len, int t) {
    int left = t > 0 && x[offset + t - 1] != 0 ? 1 : 0;
    int right = t + 1 < len && x[offset + t + 1] != 0 ? 1 : 0;
    return left + right;
  }
}

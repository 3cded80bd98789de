package dev.rnnx.tf;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Loss;

/**
 * The losses and metrics of {@link dev.rnnx.spec.Loss} and {@code TrainingSpec.accuracy} computed
 * in double precision from a model's output probabilities, written from the spec's Javadoc: steps
 * at or past a sequence's length never count.
 */
final class JavaLosses {

  private JavaLosses() {}

  /** Whether (example, step) counts. */
  private static boolean valid(FloatTensor p, long[] lengths, int b, int t) {
    return p.rank() == 2 || lengths == null || t < lengths[b];
  }

  static double loss(Loss loss, FloatTensor p, FloatTensor y, long[] lengths) {
    int batch = (int) p.dim(0);
    int steps = p.rank() == 3 ? (int) p.dim(1) : 1;
    int k = (int) p.dim(-1);
    double sum = 0;
    double count = 0;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        if (!valid(p, lengths, b, t)) {
          continue;
        }
        int base = (b * steps + t) * k;
        switch (loss) {
          case MSE -> {
            for (int j = 0; j < k; j++) {
              double d = p.data()[base + j] - y.data()[base + j];
              sum += d * d;
            }
            count += k;
          }
          case BINARY_CROSSENTROPY -> {
            for (int j = 0; j < k; j++) {
              double q = p.data()[base + j];
              double v = y.data()[base + j];
              sum -= v * Math.log(q) + (1 - v) * Math.log(1 - q);
            }
            count += k;
          }
          case CATEGORICAL_CROSSENTROPY -> {
            for (int j = 0; j < k; j++) {
              sum -= y.data()[base + j] * Math.log(p.data()[base + j]);
            }
            count += 1;
          }
        }
      }
    }
    return sum / count;
  }

  /** {accuracy, exact match}: argmax for softmax outputs, 0.5 threshold otherwise. */
  static double[] metrics(boolean softmax, FloatTensor p, FloatTensor y, long[] lengths) {
    int batch = (int) p.dim(0);
    int steps = p.rank() == 3 ? (int) p.dim(1) : 1;
    int k = (int) p.dim(-1);
    double correct = 0;
    double judged = 0;
    int exact = 0;
    for (int b = 0; b < batch; b++) {
      boolean allRight = true;
      for (int t = 0; t < steps; t++) {
        if (!valid(p, lengths, b, t)) {
          continue;
        }
        int base = (b * steps + t) * k;
        if (softmax) {
          boolean right = argmax(p.data(), base, k) == argmax(y.data(), base, k);
          correct += right ? 1 : 0;
          judged++;
          allRight &= right;
        } else {
          for (int j = 0; j < k; j++) {
            boolean right = (p.data()[base + j] > 0.5) == (y.data()[base + j] > 0.5);
            correct += right ? 1 : 0;
            judged++;
            allRight &= right;
          }
        }
      }
      exact += allRight ? 1 : 0;
    }
    return new double[] {correct / judged, (double) exact / batch};
  }

  private static int argmax(float[] v, int from, int n) {
    int best = 0;
    for (int j = 1; j < n; j++) {
      if (v[from + j] > v[from + best]) {
        best = j;
      }
    }
    return best;
  }
}

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
  private static boolean valid(long[] shape, long[] lengths, int t, int b) {
    return shape.length == 2 || lengths == null || t < lengths[b];
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static double loss(Loss loss, FloatTensor p, FloatTensor y, long[] lengths) {
    return loss(loss, p.shape(), doubles(p.data()), y, lengths);
  }

  static double loss(Loss loss, long[] shape, double[] pd, FloatTensor y, long[] lengths) {
    int batch = (int) shape[0];
    int steps = shape.length == 3 ? (int) shape[1] : 1;
    int k = (int) shape[shape.length - 1];
    double sum = 0;
    double count = 0;
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        if (!valid(shape, lengths, t, b)) {
          continue;
        }
        int base = (b * steps + t) * k;
        switch (loss) {
          case MSE -> {
            for (int j = 0; j < k; j++) {
              double d = pd[base + j] - y.data()[base + j];
              sum += d * d;
            }
            count += k;
          }
          case BINARY_CROSSENTROPY -> {
            for (int j = 0; j < k; j++) {
              double q = pd[base + j];
              double v = y.data()[base + j];
              sum -= v * Math.log(q) + (1 - v) * Math.log(1 - q);
            }
            count += k;
          }
          case CATEGORICAL_CROSSENTROPY -> {
            for (int j = 0; j < k; j++) {
              sum -= y.data()[base + j] * Math.log(pd[base + j]);
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
        if (!valid(p.shape(), lengths, t, b)) {
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

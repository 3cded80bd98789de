package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * TF Java 1.1.0's C++ gradient of LogSoftmax sums over axis 1, right only for rank-2 inputs: on
 * {@code [B, T, K]} it sums over time, and a sequence tagger trained on it does not learn. The
 * Softmax gradient is right at any rank. {@link TfActivations#lastAxis} applies both through a
 * {@code [B·T, K]} view. Pinned here against the analytic gradients.
 */
class SoftmaxGradientTest {

  private static final int B = 2;
  private static final int T = 3;
  private static final int K = 4;

  /** d/dx Σ w ⊙ softmax(x) (or logSoftmax(x)) over the last axis, in double precision. */
  private static double[] analytic(float[] x, float[] w, boolean log) {
    double[] g = new double[x.length];
    for (int r = 0; r < B * T; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < K; k++) {
        max = Math.max(max, x[r * K + k]);
      }
      double[] p = new double[K];
      double sum = 0;
      for (int k = 0; k < K; k++) {
        p[k] = Math.exp(x[r * K + k] - max);
        sum += p[k];
      }
      double dot = 0;
      double wsum = 0;
      for (int k = 0; k < K; k++) {
        p[k] /= sum;
        dot += w[r * K + k] * p[k];
        wsum += w[r * K + k];
      }
      for (int k = 0; k < K; k++) {
        g[r * K + k] = log ? w[r * K + k] - p[k] * wsum : p[k] * (w[r * K + k] - dot);
      }
    }
    return g;
  }

  private static float[] gradient(float[] x, float[] w, boolean log, boolean throughView) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> xs = tf.constant(org.tensorflow.ndarray.Shape.of(B, T, K), org.tensorflow.ndarray.buffer.DataBuffers.of(x));
      Operand<TFloat32> ws = tf.constant(org.tensorflow.ndarray.Shape.of(B, T, K), org.tensorflow.ndarray.buffer.DataBuffers.of(w));
      Operand<TFloat32> p = log
          ? (throughView ? TfActivations.lastAxis(tf, xs, tf.nn::logSoftmax) : tf.nn.logSoftmax(xs))
          : (throughView ? TfActivations.lastAxis(tf, xs, tf.nn::softmax) : TfActivations.apply(tf, Activation.SOFTMAX, xs));
      Operand<TFloat32> loss = tf.sum(tf.math.mul(p, ws), tf.constant(new int[] {0, 1, 2}));
      Output<?>[] grads = graph.addGradients(loss.asOutput(), new Output<?>[] {xs.asOutput()});
      try (Session s = new Session(graph); Result r = s.runner().fetch(grads[0]).run()) {
        return TfTensors.fromNative((TFloat32) r.get(0)).data();
      }
    }
  }

  private static double[] errors(boolean log) {
    Random random = new Random(1);
    float[] x = new float[B * T * K];
    float[] w = new float[B * T * K];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
      w[i] = (float) random.nextGaussian();
    }
    double[] want = analytic(x, w, log);
    float[] viewed = gradient(x, w, log, true);
    float[] raw = gradient(x, w, log, false);
    double viewedError = 0;
    double rawError = 0;
    for (int i = 0; i < want.length; i++) {
      viewedError = Math.max(viewedError, Math.abs(viewed[i] - want[i]));
      rawError = Math.max(rawError, Math.abs(raw[i] - want[i]));
    }
    return new double[] {viewedError, rawError};
  }

  @Test
  void softmaxGradientIsRightOnSequences() {
    double[] e = errors(false);
    assertEquals(0, e[0], 1e-6);
    assertEquals(0, e[1], 1e-6);
  }

  @Test
  void logSoftmaxGradientIsRightOnSequencesOnlyThroughARank2View() {
    double[] e = errors(true);
    assertEquals(0, e[0], 1e-6);
    assertTrue(e[1] > 1e-2, "the raw rank-3 LogSoftmax gradient is right now (error " + e[1]
        + "); TfActivations.lastAxis may no longer be needed for it");
  }
}

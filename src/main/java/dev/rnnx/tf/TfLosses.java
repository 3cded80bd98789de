package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Loss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Losses and metrics of one batch in the training graph. Every quantity is a sum with its count, so
 * that a set evaluated in chunks adds up to exactly the quantity over the whole set.
 *
 * <ul>
 *   <li>MSE and binary cross-entropy average over every output element; categorical
 *       cross-entropy sums over the last axis and averages over examples (and steps).
 *   <li>With a sequence output and lengths, steps at or past a sequence's length count for nothing.
 *   <li>Cross-entropies use the last layer's logits when it has them (a sigmoid or softmax dense
 *       layer): {@code max(z, 0) − z·y + log(1 + e^{−|z|})} and {@code −Σ y·logSoftmax(z)}; on
 *       probabilities they clip to [1e-7, 1 − 1e-7] as Keras does.
 *   <li>Accuracy: for a softmax output, argmax match per example (and step); otherwise per element,
 *       {@code (p > 0.5) == (y > 0.5)}. Exact match: the fraction of examples whose every valid
 *       step (and element) is right.
 * </ul>
 */
final class TfLosses {

  static final float EPSILON = 1e-7f;

  /**
   * The graph's loss and metric sums for one batch.
   *
   * @param loss lossSum / lossCount, what the optimiser minimises
   * @param lossSum the summed per-element (per-position for categorical CE) losses
   * @param lossCount how many terms lossSum holds
   * @param correct correctly predicted positions (softmax) or elements (threshold), or null
   * @param counted how many positions or elements were judged, or null
   * @param exact examples with every valid position right, or null
   */
  record Parts(Operand<TFloat32> loss, Operand<TFloat32> lossSum, Operand<TFloat32> lossCount, Operand<TFloat32> correct,
      Operand<TFloat32> counted, Operand<TFloat32> exact) {}

  private TfLosses() {}

  /**
   * @param p the model output {@code [B, K]} or {@code [B, T, K]}, K static
   * @param logits its pre-activation values, or null
   * @param y the targets, shaped as p
   * @param mask {@code [B, T]} validity of each step, or null (every position counts)
   * @param outputActivation the last layer's activation, deciding how accuracy is judged (null: threshold)
   * @param metrics whether to build the accuracy and exact-match sums
   */
  static Parts build(Ops tf, Loss loss, Operand<TFloat32> p, Operand<TFloat32> logits, Operand<TFloat32> y,
      Operand<TFloat32> mask, Activation outputActivation, boolean metrics) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> perPosition; // [B] or [B, T]
    boolean elementwise = loss != Loss.CATEGORICAL_CROSSENTROPY;
    switch (loss) {
      case MSE -> perPosition = tf.sum(tf.math.squaredDifference(p, y), tf.constant(-1));
      case HALF_SSE -> perPosition = tf.math.mul(tf.constant(0.5f), tf.sum(tf.math.squaredDifference(p, y), tf.constant(-1)));
      case BINARY_CROSSENTROPY -> {
        Operand<TFloat32> terms;
        if (logits != null) {
          terms = tf.math.add(tf.math.sub(tf.nn.relu(logits), tf.math.mul(logits, y)),
              tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
        } else {
          Operand<TFloat32> q = tf.clipByValue(p, tf.constant(EPSILON), tf.constant(1f - EPSILON));
          terms = tf.math.neg(tf.math.add(tf.math.mul(y, tf.math.log(q)),
              tf.math.mul(tf.math.sub(one, y), tf.math.log(tf.math.sub(one, q)))));
        }
        perPosition = tf.sum(terms, tf.constant(-1));
      }
      case CATEGORICAL_CROSSENTROPY -> {
        Operand<TFloat32> logp = logits != null ? TfActivations.lastAxis(tf, logits, tf.nn::logSoftmax)
            : tf.math.log(tf.clipByValue(tf.math.div(p, tf.sum(p, tf.constant(-1), org.tensorflow.op.core.Sum.keepDims(true))),
                tf.constant(EPSILON), tf.constant(1f - EPSILON)));
        perPosition = tf.math.neg(tf.sum(tf.math.mul(y, logp), tf.constant(-1)));
      }
      default -> throw new IllegalArgumentException("unknown loss " + loss);
    }
    Operand<TFloat32> units = tf.constant((float) p.shape().get(p.shape().numDimensions() - 1));
    Operand<TFloat32> perPositionCount = elementwise ? units : one;
    // at least one position: a batch of masked steps only gives 0/1, not 0/0
    Operand<TFloat32> positions = mask != null ? tf.math.maximum(tf.sum(mask, allAxes(tf, mask)), one)
        : tf.dtypes.cast(tf.size(perPosition), TFloat32.class);
    Operand<TFloat32> lossSum = tf.sum(mask != null ? tf.math.mul(perPosition, mask) : perPosition, allAxes(tf, perPosition));
    // half_sse averages over examples, not over elements
    Operand<TFloat32> lossCount = loss == Loss.HALF_SSE
        ? tf.dtypes.cast(tf.gather(tf.shape(p), tf.constant(0), tf.constant(0)), TFloat32.class)
        : tf.math.mul(positions, perPositionCount);
    Operand<TFloat32> value = tf.withName("loss").math.div(lossSum, lossCount);
    if (!metrics) {
      return new Parts(value, lossSum, lossCount, null, null, null);
    }
    Operand<TFloat32> right; // per position: how many of its judged values are right
    Operand<TFloat32> judged; // per position: how many values are judged
    if (outputActivation == Activation.SOFTMAX) {
      Operand<TInt64> a = tf.math.argMax(p, tf.constant(-1), TInt64.class);
      Operand<TInt64> b = tf.math.argMax(y, tf.constant(-1), TInt64.class);
      right = tf.dtypes.cast(tf.math.equal(a, b), TFloat32.class);
      judged = one;
    } else {
      Operand<TFloat32> half = tf.constant(0.5f);
      Operand<TBool> same = tf.math.equal(tf.math.greater(p, half), tf.math.greater(y, half));
      right = tf.sum(tf.dtypes.cast(same, TFloat32.class), tf.constant(-1));
      judged = units;
    }
    Operand<TFloat32> wrong = tf.math.sub(judged, right);
    if (mask != null) {
      right = tf.math.mul(right, mask);
      wrong = tf.math.mul(wrong, mask);
    }
    Operand<TFloat32> correct = tf.sum(right, allAxes(tf, right));
    Operand<TFloat32> counted = tf.math.mul(positions, judged);
    // wrong per example: sum over every axis but the batch axis (none for [B])
    Operand<TFloat32> wrongPerExample = tf.sum(wrong, tf.range(tf.constant(1), tf.rank(wrong), tf.constant(1)));
    Operand<TFloat32> exact = tf.sum(tf.dtypes.cast(tf.math.equal(wrongPerExample, tf.constant(0f)), TFloat32.class),
        tf.constant(0));
    return new Parts(value, lossSum, lossCount, correct, counted, exact);
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<?> x) {
    return tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
  }
}

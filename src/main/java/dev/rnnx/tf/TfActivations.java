package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The graph op of each {@link Activation}. Each one has a C++ gradient in TF Java 1.1.0 (checked:
 * Tanh, Sigmoid, Relu, ClipByValue, Softsign, Softplus, Elu, Softmax), so the same function serves
 * the training and the serving graphs.
 */
final class TfActivations {

  private TfActivations() {}

  static Operand<TFloat32> apply(Ops tf, Activation activation, Operand<TFloat32> x) {
    return switch (activation) {
      case LINEAR -> x;
      case TANH -> tf.math.tanh(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case RELU -> tf.nn.relu(x);
      // Keras 2: clip(0.2 x + 0.5, 0, 1)
      case HARD_SIGMOID -> tf.clipByValue(tf.math.add(tf.math.mul(x, tf.constant(0.2f)), tf.constant(0.5f)),
          tf.constant(0f), tf.constant(1f));
      // Keras 3: relu6(x + 3) / 6
      case HARD_SIGMOID_KERAS3 -> tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
      case SOFTSIGN -> tf.nn.softsign(x);
      case SOFTPLUS -> tf.math.softplus(x);
      case ELU -> tf.nn.elu(x); // alpha 1
      case SOFTMAX -> tf.nn.softmax(x); // the last axis; its C++ gradient is right at any rank
    };
  }

  /**
   * Applies a last-axis op through a rank-2 view {@code [N, K]}. The C++ gradient of LogSoftmax
   * sums over axis 1, so on a rank-3 {@code [B, T, K]} value it would sum over time: the forward
   * is right, the gradient silently wrong ({@code SoftmaxGradientTest}).
   */
  static Operand<TFloat32> lastAxis(Ops tf, Operand<TFloat32> x, UnaryOperator<Operand<TFloat32>> op) {
    int rank = x.shape().numDimensions();
    if (rank == 2) {
      return op.apply(x);
    }
    long k = rank > 0 ? x.shape().get(rank - 1) : -1;
    if (k < 0) {
      throw new IllegalArgumentException("softmax needs a known last axis, got shape " + x.shape());
    }
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new long[] {-1, k}));
    return tf.reshape(op.apply(flat), tf.shape(x));
  }
}

package dev.rnnx.tf;

import dev.rnnx.spec.Activation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The graph op of each {@link Activation}. Each has a C++ gradient in TF Java 1.1.0. */
final class TfActivations {

  private TfActivations() {}

  static Operand<TFloat32> apply(Ops tf, Activation activation, Operand<TFloat32> x) {
    return switch (activation) {
      case LINEAR -> x;
      case TANH -> tf.math.tanh(x);
      case SIGMOID -> tf.math.sigmoid(x);
      case RELU -> tf.nn.relu(x);
      default -> throw new UnsupportedOperationException("activation " + activation + " has no TensorFlow builder yet");
    };
  }
}

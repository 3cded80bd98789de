package dev.rnnx.onnx;

import dev.rnnx.spec.Activation;

/** The ONNX op (and LSTM {@code activations} attribute value) for each rnnx activation. */
final class ActivationOps {

  private ActivationOps() {}

  /**
   * The ONNX name: {@code Tanh}, {@code Sigmoid}, {@code Relu}; {@code null} for linear, which
   * needs no node.
   */
  static String onnxName(Activation activation) {
    return switch (activation) {
      case LINEAR -> null;
      case TANH -> "Tanh";
      case SIGMOID -> "Sigmoid";
      case RELU -> "Relu";
      default -> throw new OnnxExportException("activation " + activation + " has no ONNX converter yet");
    };
  }

  /**
   * The ONNX name of an activation used inside a recurrent op's {@code activations} attribute.
   *
   * @throws OnnxExportException for linear, which the recurrent ops cannot express
   */
  static String recurrentName(String layer, Activation activation) {
    String name = onnxName(activation);
    if (name == null) {
      throw new OnnxExportException("layer '" + layer + "': activation '" + activation
          + "' has no ONNX recurrent-op form, expected one of [tanh, sigmoid, relu]");
    }
    return name;
  }
}

package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * The ONNX form of each rnnx activation: as a node after a layer ({@link #emit}), and inside a
 * recurrent op's {@code activations} attribute ({@link #recurrent}).
 *
 * <pre>
 * rnnx           node                           recurrent-op entry
 * linear         none                           (refused by the spec)
 * tanh           Tanh                           Tanh
 * sigmoid        Sigmoid                        Sigmoid
 * relu           Relu                           Relu
 * hard_sigmoid   HardSigmoid alpha 0.2 beta 0.5 HardSigmoid, alpha 0.2 and beta 0.5 written out
 * hard_sigmoid_keras3  HardSigmoid alpha 1/6 beta 0.5  HardSigmoid, alpha 1/6 and beta 0.5 written out
 * softsign       Softsign                       Softsign
 * softplus       Softplus                       Softplus
 * elu            Elu alpha 1                    Elu, alpha 1 written out
 * softmax        Softmax on the last axis       (refused by the spec)
 * </pre>
 *
 * Alphas and betas are always written, never left to defaults: ONNX Runtime's defaults for some
 * recurrent-op activations differ from the ONNX operators of the same name. In the recurrent ops
 * they are consumed in the order of the activations, one per function that takes one (ONNX
 * Runtime's {@code ActivationFuncs}, and {@code dev.rnnx.ref.onnx}).
 */
final class ActivationOps {

  /** Keras 2's hard sigmoid slope and offset. */
  static final float HARD_SIGMOID_ALPHA = 0.2f;
  static final float HARD_SIGMOID_BETA = 0.5f;
  /** Keras 3's hard sigmoid slope, relu6(x + 3) / 6 (its offset is 0.5 too). */
  static final float HARD_SIGMOID_KERAS3_ALPHA = 1.0f / 6.0f;
  /** Keras's elu alpha. */
  static final float ELU_ALPHA = 1.0f;

  /** A recurrent op's activation attributes. */
  record Recurrent(List<String> names, List<Float> alphas, List<Float> betas) {

    /** {@code activations}, and {@code activation_alpha}/{@code activation_beta} when any function takes them. */
    List<OnnxMl.AttributeProto> attributes() {
      List<OnnxMl.AttributeProto> a = new ArrayList<>();
      a.add(Attributes.strings("activations", names));
      if (!alphas.isEmpty()) {
        a.add(Attributes.floats("activation_alpha", alphas));
      }
      if (!betas.isEmpty()) {
        a.add(Attributes.floats("activation_beta", betas));
      }
      return a;
    }
  }

  private ActivationOps() {}

  /**
   * The ONNX op of an element-wise activation: {@code Tanh}, {@code Sigmoid}, …; {@code null} for
   * linear, which needs no node.
   */
  static String onnxName(Activation activation) {
    return switch (activation) {
      case LINEAR -> null;
      case TANH -> "Tanh";
      case SIGMOID -> "Sigmoid";
      case RELU -> "Relu";
      case HARD_SIGMOID, HARD_SIGMOID_KERAS3 -> "HardSigmoid";
      case SOFTSIGN -> "Softsign";
      case SOFTPLUS -> "Softplus";
      case ELU -> "Elu";
      case SOFTMAX -> "Softmax";
    };
  }

  /**
   * Emits the activation of a layer's output of rank {@code rank} as one node named
   * {@code <prefix>/<Op>}, reading {@code input} and writing {@code output}.
   *
   * @throws IllegalArgumentException for linear, which has no node (callers skip it)
   */
  static void emit(GraphBuilder graph, Activation activation, String prefix, String input, String output, int rank) {
    String op = onnxName(activation);
    if (op == null) {
      throw new IllegalArgumentException("activation linear has no node");
    }
    String name = prefix + "/" + op;
    switch (activation) {
      case SOFTMAX -> graph.softmaxLastAxis(name, input, output, rank);
      case HARD_SIGMOID -> graph.node(op, name, List.of(input), List.of(output),
          Attributes.real("alpha", HARD_SIGMOID_ALPHA), Attributes.real("beta", HARD_SIGMOID_BETA));
      case HARD_SIGMOID_KERAS3 -> graph.node(op, name, List.of(input), List.of(output),
          Attributes.real("alpha", HARD_SIGMOID_KERAS3_ALPHA), Attributes.real("beta", HARD_SIGMOID_BETA));
      case ELU -> graph.node(op, name, List.of(input), List.of(output), Attributes.real("alpha", ELU_ALPHA));
      default -> graph.node(op, name, List.of(input), List.of(output));
    }
  }

  /**
   * The {@code activations} of a recurrent op: the given functions (e.g. LSTM's
   * {@code [recurrent_activation, activation, activation]}), repeated for each direction.
   *
   * @throws OnnxExportException naming the layer when a function has no recurrent-op form
   */
  static Recurrent recurrent(String layer, List<Activation> perDirection, int directions) {
    List<String> names = new ArrayList<>();
    List<Float> alphas = new ArrayList<>();
    List<Float> betas = new ArrayList<>();
    for (int d = 0; d < directions; d++) {
      for (Activation a : perDirection) {
        switch (a) {
          case TANH, SIGMOID, RELU, SOFTSIGN, SOFTPLUS -> names.add(onnxName(a));
          case HARD_SIGMOID -> {
            names.add(onnxName(a));
            alphas.add(HARD_SIGMOID_ALPHA);
            betas.add(HARD_SIGMOID_BETA);
          }
          case HARD_SIGMOID_KERAS3 -> {
            names.add(onnxName(a));
            alphas.add(HARD_SIGMOID_KERAS3_ALPHA);
            betas.add(HARD_SIGMOID_BETA);
          }
          case ELU -> {
            names.add(onnxName(a));
            alphas.add(ELU_ALPHA);
          }
          default -> throw new OnnxExportException("layer '" + layer + "': activation '" + a
              + "' has no ONNX recurrent-op form, expected one of "
              + Activation.choices(Activation.RECURRENT));
        }
      }
    }
    return new Recurrent(List.copyOf(names), List.copyOf(alphas), List.copyOf(betas));
  }
}

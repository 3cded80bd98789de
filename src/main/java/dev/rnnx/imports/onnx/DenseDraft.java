package dev.rnnx.imports.onnx;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dense layer lifted from {@code MatMul} (then an optional {@code Add} of a bias) or
 * {@code Gemm}, then an optional element-wise activation or last-axis {@code Softmax}.
 */
final class DenseDraft implements LayerDraft {

  private final FloatTensor kernel;
  private FloatTensor bias;
  private Activation activation = Activation.LINEAR;

  /** A dense layer of kernel {@code [in, units]} and no bias yet. */
  DenseDraft(FloatTensor kernel) {
    this.kernel = kernel;
  }

  int units() {
    return (int) kernel.dim(1);
  }

  boolean hasBias() {
    return bias != null;
  }

  void bias(FloatTensor b) {
    bias = b;
  }

  Activation activation() {
    return activation;
  }

  void activation(Activation a) {
    activation = a;
  }

  @Override
  public Layer build(String name) {
    return new Dense(name, units(), activation, bias != null);
  }

  @Override
  public Map<String, FloatTensor> weights(String name) {
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put(name + "/kernel", kernel);
    if (bias != null) {
      w.put(name + "/bias", bias);
    }
    return w;
  }
}

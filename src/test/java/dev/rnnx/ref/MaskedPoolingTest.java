package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keras's {@code GlobalAveragePooling1D} reading a mask: the mean of the unmasked steps wherever
 * they fall, computed here by hand; a row with every step masked gives zeros (Keras: 0/0 = NaN).
 */
class MaskedPoolingTest {

  @Test
  void theAverageCoversTheUnmaskedStepsOnlyAndAnEmptyRowGivesZeros() {
    Sequential model = new Sequential("bag", ModelInput.ofFeatures(2).withMask(0.0), List.of(
        new TimeDistributed("td", new Dense("d", 1, Activation.LINEAR, true)), new GlobalAveragePooling("pool")));
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : model.parameters()) { // y = 2·x0 − x1 + 0.5 on every step
      tensors.put(p.name(), p.name().endsWith("kernel") ? FloatTensor.of(new float[] {2f, -1f}, 2, 1)
          : FloatTensor.of(new float[] {0.5f}, 1));
    }
    float[] x = {
        1, 1, 0, 0, 3, 0, 0, 0, // row 0: steps 1 and 3 masked (mid-sequence and trailing)
        0, 0, 0, 1, 1, 0, 2, 2, // row 1: step 0 masked; step 1 has one zero feature only (unmasked)
        0, 0, 0, 0, 0, 0, 0, 0}; // row 2: every step masked
    Map<String, DoubleTensor> out = new ReferenceModel(model, new Weights(tensors))
        .forward(Map.of(Sequential.INPUT, FloatTensor.of(x, 3, 4, 2)));
    double[] got = out.get("output").data();
    assertEquals((1.5 + 6.5) / 2, got[0], 1e-12);
    assertEquals((-0.5 + 2.5 + 2.5) / 3, got[1], 1e-12);
    assertEquals(0.0, got[2], 0.0);
  }
}

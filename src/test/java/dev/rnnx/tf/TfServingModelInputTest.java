package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TfServingModel#run} refuses bad input before any native call, with a clear message. */
class TfServingModelInputTest {

  private static final Sequential MODEL = new Sequential("checked", 2, List.of(
      Lstm.of("lstm", 3, false), new Dense("dense", 1, Activation.LINEAR, true)));
  private static TfServingModel serving;

  @BeforeAll
  static void build() {
    serving = TfServingModel.build(MODEL, Fixtures.randomWeights(MODEL, 1, 0.5));
  }

  @AfterAll
  static void close() {
    serving.close();
  }

  private static String reject(Map<String, FloatTensor> inputs) {
    return assertThrows(IllegalArgumentException.class, () -> serving.run(inputs)).getMessage();
  }

  @Test
  void missingOrExtraInputsNameTheExpectedOne() {
    String message = reject(Map.of("x", FloatTensor.zeros(1, 2, 2)));
    assertTrue(message.contains("needs input 'input'") && message.contains("[x]") && message.contains("[input]"), message);
    Map<String, FloatTensor> extra = new HashMap<>();
    extra.put("input", FloatTensor.zeros(1, 2, 2));
    extra.put("mask", FloatTensor.zeros(1, 2));
    assertTrue(reject(extra).contains("expected exactly [input]"));
    assertTrue(reject(Map.of()).contains("needs input 'input'"));
  }

  @Test
  void wrongShapesAreRefused() {
    assertTrue(reject(Map.of("input", FloatTensor.zeros(2, 2))).contains("has shape [2, 2], expected rank 3"));
    assertTrue(reject(Map.of("input", FloatTensor.zeros(1, 4, 3))).contains("expected 2 features on the last axis"));
    assertTrue(reject(Map.of("input", FloatTensor.zeros(0, 4, 2))).contains("batch of at least 1"));
    assertTrue(reject(Map.of("input", FloatTensor.zeros(1, 0, 2))).contains("at least 1 time step"));
  }

  @Test
  void nonFiniteValuesAreRefused() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] v = new float[8];
      v[5] = bad;
      String message = reject(Map.of("input", FloatTensor.of(v, 1, 4, 2)));
      assertTrue(message.contains("at flat index 5") && message.contains("finite"), message);
    }
  }

  @Test
  void goodInputStillRunsAfterRefusals() {
    reject(Map.of("input", FloatTensor.zeros(2, 2)));
    FloatTensor y = serving.run(Map.of("input", Fixtures.randomInput(1, 4, 5, 2))).get("output");
    assertEquals(List.of(4L, 1L), List.of(y.dim(0), y.dim(1)));
  }

  @Test
  void useAfterCloseThrowsAndCloseIsIdempotent() {
    Weights weights = Fixtures.randomWeights(MODEL, 2, 0.5);
    TfServingModel model = TfServingModel.build(MODEL, weights);
    model.close();
    model.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> model.run(Map.of("input", FloatTensor.zeros(1, 1, 2))));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void weightsThatDoNotFitAreRefusedAtBuild() {
    Sequential bigger = new Sequential("checked", 2, List.of(
        Lstm.of("lstm", 4, false), new Dense("dense", 1, Activation.LINEAR, true)));
    Weights wrong = Fixtures.randomWeights(bigger, 1, 0.5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfServingModel.build(MODEL, wrong));
    assertTrue(e.getMessage().contains("lstm/kernel"), e.getMessage());
  }
}

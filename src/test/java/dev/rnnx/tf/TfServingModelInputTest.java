package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
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
  private static final Sequential TOKENS = new Sequential("tokens", ModelInput.ofTokens().withLengths(), List.of(
      new Embedding("embed", 5, 3, Initializer.EMBEDDING), Lstm.builder("lstm", 3).stateInputs(true).build()));
  private static TfServingModel serving;
  private static TfServingModel tokens;

  @BeforeAll
  static void build() {
    serving = TfServingModel.build(MODEL, Fixtures.randomWeights(MODEL, 1, 0.5));
    tokens = TfServingModel.build(TOKENS, Fixtures.randomWeights(TOKENS, 1, 0.5));
  }

  @AfterAll
  static void close() {
    serving.close();
    tokens.close();
  }

  private static String reject(TfServingModel model, Map<String, ? extends Tensor> inputs) {
    return assertThrows(IllegalArgumentException.class, () -> model.run(inputs)).getMessage();
  }

  @Test
  void missingOrExtraInputsNameTheExpectedOnes() {
    String message = reject(serving, Map.of("x", FloatTensor.zeros(1, 2, 2)));
    assertTrue(message.contains("unknown input 'x'") && message.contains("'input' is missing"), message);
    Map<String, FloatTensor> extra = new HashMap<>();
    extra.put("input", FloatTensor.zeros(1, 2, 2));
    extra.put("mask", FloatTensor.zeros(1, 2));
    assertTrue(reject(serving, extra).contains("unknown input 'mask'"));
    assertTrue(reject(serving, Map.of()).contains("'input' is missing"));
    assertTrue(reject(serving, null).contains("request: no inputs, expected inputs [input]"));
    message = reject(tokens, Map.of("input", LongTensor.of(new long[] {1, 2}, 1, 2)));
    assertTrue(message.contains("'lengths' is missing") && message.contains("'lstm_h0' is missing"), message);
  }

  @Test
  void wrongShapesAreRefused() {
    assertTrue(reject(serving, Map.of("input", FloatTensor.zeros(2, 2))).contains("must be float32 [batch, time, 2]"));
    assertTrue(reject(serving, Map.of("input", FloatTensor.zeros(1, 4, 3))).contains(
        "request: input 'input' must be float32 [batch, time, 2], got float32 [1, 4, 3]"));
    assertTrue(reject(serving, Map.of("input", FloatTensor.zeros(0, 4, 2))).contains("got float32 [0, 4, 2]: batch is empty"));
    assertTrue(reject(serving, Map.of("input", FloatTensor.zeros(1, 0, 2))).contains("got float32 [1, 0, 2]: time is empty"));
  }

  @Test
  void nonFiniteValuesAreRefused() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] v = new float[8];
      v[5] = bad;
      String message = reject(serving, Map.of("input", FloatTensor.of(v, 1, 4, 2)));
      assertTrue(message.contains("input 'input' holds " + bad + " at [0, 2, 1], expected finite values"), message);
    }
  }

  @Test
  void tokenIdsLengthsAndStatesAreChecked() {
    Map<String, Tensor> good = Fixtures.inputs(TOKENS, 1, 2, 3);
    assertEquals(List.of(2L, 3L), List.of(tokens.run(good).get("output").dim(0), tokens.run(good).get("output").dim(1)));
    Map<String, Tensor> bad = new HashMap<>(good);
    bad.put("input", LongTensor.of(new long[] {0, 1, 5, 1, 1, 1}, 2, 3));
    assertTrue(reject(tokens, bad).contains("input 'input' holds 5 at [0, 2], expected 0 … 4"), reject(tokens, bad));
    bad = new HashMap<>(good);
    bad.put("lengths", LongTensor.of(new long[] {3, 4}, 2));
    assertTrue(reject(tokens, bad).contains("expected 1 … 3"), reject(tokens, bad));
    bad.put("lengths", LongTensor.of(new long[] {0, 1}, 2));
    assertTrue(reject(tokens, bad).contains("expected 1 … 3"), reject(tokens, bad));
    bad = new HashMap<>(good);
    bad.put("lstm_c0", FloatTensor.zeros(3, 3));
    assertTrue(reject(tokens, bad).contains("'lstm_c0' must be float32 [batch, 3], got float32 [3, 3]: batch is 2"), reject(tokens, bad));
    bad = new HashMap<>(good);
    bad.put("input", FloatTensor.zeros(2, 3, 1));
    assertTrue(reject(tokens, bad).contains("input 'input' must be int64 [batch, time], got float32 [2, 3, 1]"), reject(tokens, bad));
  }

  @Test
  void goodInputStillRunsAfterRefusals() {
    reject(serving, Map.of("input", FloatTensor.zeros(2, 2)));
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

package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.InvalidInputException.Problem;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad request to a served model is an {@link InvalidInputException} naming its
 * problem and input, raised in Java before any native call, and the model keeps serving after it.
 */
class ServingBadInputTest {

  @TempDir static Path tmp;
  static RnnxModel tokens;
  static RnnxModel features;

  @BeforeAll
  static void load() throws Exception {
    tokens = RnnxModel.builder(ServingRuns.zoo(tmp.resolve("majority-classifier"), "majority-classifier"))
        .optPoolSize(1).optBatching(BatchingOptions.DEFAULTS).build();
    features = RnnxModel.builder(ServingRuns.zoo(tmp.resolve("sine-lstm"), "sine-lstm")).optPoolSize(1).build();
  }

  @AfterAll
  static void close() {
    tokens.close();
    features.close();
  }

  private static void refused(Problem problem, String input, String mention, Executable call) {
    InvalidInputException e = assertThrows(InvalidInputException.class, call);
    assertEquals(problem, e.problem(), e.getMessage());
    if (input != null) {
      assertEquals(input, e.input(), e.getMessage());
    }
    assertTrue(e.getMessage().contains(mention), e.getMessage());
  }

  private static Map<String, Tensor> ids(long[] ids, int batch, int time, long... lengths) {
    return Map.of("input", LongTensor.of(ids, batch, time), "lengths", LongTensor.of(lengths, lengths.length));
  }

  @Test
  void tensorRequestsAreCheckedAgainstTheDeclaredInputs() {
    var p = tokens.tensors();
    refused(Problem.NAME, "lengths", "lengths", () -> p.predict(Map.of("input", LongTensor.of(new long[] {1, 2}, 1, 2))));
    refused(Problem.NAME, "extra", "unknown input 'extra'", () -> p.predict(Map.of("input", LongTensor.of(new long[] {1}, 1, 1),
        "lengths", LongTensor.of(new long[] {1}, 1), "extra", FloatTensor.zeros(1))));
    refused(Problem.DTYPE, "input", "input 'input' must be int64 [batch, time], got float32 [1, 2]", () -> p.predict(Map.of("input", FloatTensor.zeros(1, 2),
        "lengths", LongTensor.of(new long[] {2}, 1))));
    refused(Problem.RANK, "input", "must be int64 [batch, time], got int64 [1, 2, 1]", () -> p.predict(Map.of("input", LongTensor.of(new long[] {1, 2}, 1, 2, 1),
        "lengths", LongTensor.of(new long[] {2}, 1))));
    refused(Problem.OUT_OF_RANGE, "input", "input 'input' holds 99 at [0, 1]", () -> p.predict(ids(new long[] {1, 99}, 1, 2, 2)));
    refused(Problem.OUT_OF_RANGE, "lengths", "input 'lengths' holds 3 at [0], expected 1 … 2", () -> p.predict(ids(new long[] {1, 2}, 1, 2, 3)));
    refused(Problem.SHAPE, "lengths", "got int64 [2]: batch is 1 in input 'input'", () -> p.predict(ids(new long[] {1, 2}, 1, 2, 2, 2)));
    refused(Problem.EMPTY, "input", "got int64 [0, 2]: batch is empty", () -> p.predict(ids(new long[0], 0, 2)));
    assertEquals(1, p.predict(ids(new long[] {1, 2}, 1, 2, 2)).get("output").shape()[0], "still serving");
  }

  @Test
  void sequencesAreCheckedBeforeTheEngine() {
    var p = features.regression();
    refused(Problem.NON_FINITE, "input", "NaN", () -> p.predict(Sequence.ofFeatures(new float[] {0.5f, Float.NaN, 1}, 1)));
    refused(Problem.NON_FINITE, "input", "Infinity", () -> p.predict(Sequence.ofFeatures(new float[] {Float.POSITIVE_INFINITY}, 1)));
    refused(Problem.SHAPE, "input", "[batch, time, 1]", () -> p.predict(Sequence.ofFeatures(new float[] {1, 2, 3, 4, 5, 6}, 3)));
    refused(Problem.DTYPE, "input", "token ids", () -> p.predict(Sequence.ofTokens(1, 2, 3)));
    refused(Problem.EMPTY, "input", "empty", () -> p.predict(Sequence.ofFeatures(new float[0][])));
    refused(Problem.RANK, "input", "[time, features]", () -> new Sequence(FloatTensor.zeros(1, 2, 1)));
    refused(Problem.OUT_OF_RANGE, "input", "-1", () -> tokens.classification().predict(Sequence.ofTokens(1, -1)));
    assertEquals(1, p.predict(Sequence.ofFeatures(new float[] {0.5f}, 1)).size(), "still serving");
  }
}

package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attention family (attention with every score, multi-head attention, layer normalisation,
 * positional encoding, Transformer encoder blocks, pooling) against the double-precision
 * {@link Oracle}: the serving graph at several batch sizes and lengths, mixed lengths in one
 * batch, and the unrolled training forward.
 */
class AttentionParityTest {

  static final double TOLERANCE = 1e-5;
  private static double worstServing;
  private static double worstUnrolled;
  private static String worstModel = "";

  static Stream<Named<Sequential>> models() {
    return AttentionModels.all().stream().map(m -> Named.of(m.name(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void servingAndUnrolledMatchTheOracle(Sequential model) {
    Weights weights = Fixtures.randomWeights(model, 7, 0.5);
    double worst = 0;
    try (TfServingModel serving = TfServingModel.build(model, weights)) {
      for (int[] bt : new int[][] {{1, 1}, {5, 7}, {3, 30}}) {
        Map<String, Tensor> inputs = Fixtures.inputs(model, 31L * bt[1] + bt[0], bt[0], bt[1]);
        Map<String, FloatTensor> actual = serving.run(inputs);
        Map<String, DoubleTensor> expected = Oracle.sequential(model, weights, inputs);
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : actual.keySet()) {
          double error = Expected.maxAbsError(actual.get(name), expected.get(name));
          assertTrue(error < TOLERANCE, model.name() + " " + name + " B=" + bt[0] + " T=" + bt[1] + ": max abs error " + error);
          worst = Math.max(worst, error);
        }
        if (bt[1] == 7) {
          Map<String, FloatTensor> unrolled = UnrolledForwardTest.unrolled(model, weights, inputs, bt[1]);
          for (String name : expected.keySet()) {
            double error = Expected.maxAbsError(unrolled.get(name), expected.get(name));
            assertTrue(error < TOLERANCE, model.name() + " unrolled " + name + ": max abs error " + error);
            synchronized (AttentionParityTest.class) {
              worstUnrolled = Math.max(worstUnrolled, error);
            }
          }
        }
      }
    }
    synchronized (AttentionParityTest.class) {
      if (worst > worstServing) {
        worstServing = worst;
        worstModel = model.name();
      }
    }
  }

  /** Changing the input past a sequence's length changes no output at a valid step, to the bit. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void paddingNeverLeaksIntoValidSteps(Sequential model) {
    if (!model.input().lengths() || model.input().tokens()) {
      return;
    }
    Weights weights = Fixtures.randomWeights(model, 8, 0.5);
    Map<String, Tensor> inputs = Fixtures.inputs(model, 12, 4, 9);
    long[] lengths = ((LongTensor) inputs.get(Sequential.LENGTHS)).data();
    FloatTensor x = (FloatTensor) inputs.get(Sequential.INPUT);
    float[] changed = x.data().clone();
    int f = model.inputFeatures();
    for (int b = 0; b < 4; b++) {
      for (int t = (int) lengths[b]; t < 9; t++) {
        for (int j = 0; j < f; j++) {
          changed[(b * 9 + t) * f + j] += 3f;
        }
      }
    }
    Map<String, Tensor> other = new LinkedHashMap<>(inputs);
    other.put(Sequential.INPUT, new FloatTensor(x.shape(), changed));
    try (TfServingModel serving = TfServingModel.build(model, weights)) {
      FloatTensor a = serving.run(inputs).get("output");
      FloatTensor b = serving.run(other).get("output");
      if (a.rank() == 2) {
        assertArrayEquals(a.data(), b.data(), model.name());
        return;
      }
      int d = (int) a.dim(2);
      for (int s = 0; s < 4; s++) {
        for (int t = 0; t < lengths[s]; t++) {
          for (int j = 0; j < d; j++) {
            int i = (s * 9 + t) * d + j;
            assertEquals(a.data()[i], b.data()[i], 0.0, model.name() + " sequence " + s + " step " + t);
          }
        }
      }
    }
  }

  @Test
  void aSequenceLongerThanThePositionTableIsRefusedBeforeRunning() {
    Sequential model = new Sequential("pe", ModelInput.ofFeatures(4), List.of(new PositionalEncoding("pe", 6, false)));
    try (TfServingModel serving = TfServingModel.build(model, Fixtures.randomWeights(model, 1, 0.5))) {
      assertEquals(List.of(1L, 6L, 4L), toList(serving.run(Map.of("input", Fixtures.randomInput(1, 1, 6, 4))).get("output").shape()));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> serving.run(Map.of("input", Fixtures.randomInput(1, 1, 7, 4))));
      assertEquals("request: input 'input' must be float32 [batch, time, 4], got float32 [1, 7, 4]: time is at most 6"
          + " (max_length of layer 'pe')", e.getMessage());
    }
  }

  private static List<Long> toList(long[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }

  @AfterAll
  static void report() {
    System.out.printf("attention family parity: worst max abs error serving %.3g (%s), unrolled %.3g, over %d models%n",
        worstServing, worstModel, worstUnrolled, AttentionModels.all().size());
  }
}

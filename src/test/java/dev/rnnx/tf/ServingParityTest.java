package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Weights;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The serving graph against the double-precision expectation ({@link Expected}) on random weights
 * and inputs, for every model of {@link Models}: every layer kind and option, mixed lengths in one
 * batch (L = 1 and L = T included), several batch sizes and lengths.
 */
class ServingParityTest {

  static final double TOLERANCE = 1e-5;
  private static double worstOverall;
  private static String worstModel = "";

  static Stream<Named<Sequential>> models() {
    return Models.all().stream().map(m -> Named.of(m.name(), m));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void matchesTheReferenceForEveryLengthAndBatch(Sequential model) {
    Weights weights = Fixtures.randomWeights(model, 7, 0.5);
    double worst = 0;
    try (TfServingModel serving = TfServingModel.build(model, weights)) {
      int[][] shapes = {{1, 1}, {5, 7}, {3, 30}};
      for (int[] bt : shapes) {
        Map<String, Tensor> inputs = Fixtures.inputs(model, 31L * bt[1] + bt[0], bt[0], bt[1]);
        Map<String, FloatTensor> actual = serving.run(inputs);
        Map<String, DoubleTensor> expected = Expected.outputs(model, weights, inputs);
        assertEquals(model.outputs().stream().map(TensorSpec::name).toList(), List.copyOf(actual.keySet()));
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : actual.keySet()) {
          double error = Expected.maxAbsError(actual.get(name), expected.get(name));
          assertTrue(error < TOLERANCE, model.name() + " " + name + " B=" + bt[0] + " T=" + bt[1] + ": max abs error " + error);
          worst = Math.max(worst, error);
        }
      }
    }
    synchronized (ServingParityTest.class) {
      if (worst > worstOverall) {
        worstOverall = worst;
        worstModel = model.name();
      }
    }
  }

  @Test
  void servesLongSequences() {
    for (Sequential model : Models.all()) {
      if (!List.of("lstm_peephole_lengths", "gru_reset_after_false_lengths", "bi_lstm_concat_lengths", "stacked")
          .contains(model.name())) {
        continue;
      }
      Weights weights = Fixtures.randomWeights(model, 11, 0.5);
      Map<String, Tensor> inputs = Fixtures.inputs(model, 5, 3, 250);
      try (TfServingModel serving = TfServingModel.build(model, weights)) {
        Map<String, FloatTensor> actual = serving.run(inputs);
        Map<String, DoubleTensor> expected = Expected.outputs(model, weights, inputs);
        for (String name : actual.keySet()) {
          double error = Expected.maxAbsError(actual.get(name), expected.get(name));
          assertTrue(error < TOLERANCE, model.name() + " " + name + " T=250: max abs error " + error);
        }
      }
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("serving parity: worst max abs error %.3g (%s) over %d models, B/T in {1/1, 5/7, 3/30}%n",
        worstOverall, worstModel, Models.all().size());
  }
}

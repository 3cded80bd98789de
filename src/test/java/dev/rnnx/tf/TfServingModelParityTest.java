package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.weights.Weights;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The serving graph against the double-precision oracle, on random weights and inputs. */
class TfServingModelParityTest {

  private static final double TOLERANCE = 1e-5;

  static Stream<Sequential> models() {
    return Stream.of(
        new Sequential("last_step", 2, List.of(
            Lstm.of("lstm", 8, false), new Dense("dense", 3, Activation.LINEAR, true))),
        new Sequential("sequences", 2, List.of(
            Lstm.of("lstm", 6, true), new Dense("dense", 2, Activation.TANH, true))),
        new Sequential("state", 3, List.of(
            new Lstm("lstm", 5, false, true, Activation.TANH, Activation.SIGMOID, true))),
        new Sequential("state_sequences", 3, List.of(
            new Lstm("lstm", 5, true, true, Activation.TANH, Activation.SIGMOID, true))),
        new Sequential("stacked", 2, List.of(
            Lstm.of("lstm", 6, true), Lstm.of("lstm_1", 4, false), new Dense("dense", 1, Activation.LINEAR, true))),
        new Sequential("variants", 2, List.of(
            new Lstm("lstm", 4, true, false, Activation.RELU, Activation.SIGMOID, false),
            new Dense("dense", 3, Activation.RELU, false),
            new Dense("dense_1", 2, Activation.SIGMOID, true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void matchesOracleForEveryLengthAndBatch(Sequential model) {
    Weights weights = Fixtures.randomWeights(model, 7, 0.5);
    double worst = 0;
    try (TfServingModel serving = TfServingModel.build(model, weights)) {
      for (int time : new int[] {1, 25, 100}) {
        for (int batch : new int[] {1, 7}) {
          FloatTensor x = Fixtures.randomInput(31L * time + batch, batch, time, model.inputFeatures());
          Map<String, FloatTensor> actual = serving.run(Map.of("input", x));
          Map<String, Oracle.Value> expected = Oracle.forward(model, weights, x);
          assertEquals(model.outputs().stream().map(TensorSpec::name).toList(), List.copyOf(actual.keySet()));
          for (String name : actual.keySet()) {
            double error = Fixtures.maxAbsError(actual.get(name), expected.get(name));
            assertTrue(error < TOLERANCE, model.name() + " " + name + " T=" + time + " B=" + batch + ": max abs error " + error);
            worst = Math.max(worst, error);
          }
        }
      }
    }
    System.out.printf("parity %s: max abs error %.3g over T in {1, 25, 100}, B in {1, 7}%n", model.name(), worst);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void servesLongSequences(Sequential model) {
    Weights weights = Fixtures.randomWeights(model, 11, 0.5);
    FloatTensor x = Fixtures.randomInput(5, 3, 250, model.inputFeatures());
    try (TfServingModel serving = TfServingModel.build(model, weights)) {
      Map<String, FloatTensor> actual = serving.run(Map.of("input", x));
      Map<String, Oracle.Value> expected = Oracle.forward(model, weights, x);
      for (String name : actual.keySet()) {
        double error = Fixtures.maxAbsError(actual.get(name), expected.get(name));
        assertTrue(error < TOLERANCE, model.name() + " " + name + " T=250: max abs error " + error);
      }
    }
  }
}

package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The training graph's unrolled forward computes the same function as the oracle. */
class UnrolledForwardTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.rnnx.tf.TfServingModelParityTest#models")
  void matchesOracle(Sequential model) {
    Weights weights = Fixtures.randomWeights(model, 3, 0.5);
    FloatTensor x = Fixtures.randomInput(9, 4, 12, model.inputFeatures());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        params.put(p.name(), TfTensors.constant(tf, weights.get(p.name())));
      }
      Operand<TFloat32> y = TfTrainer.forward(tf, model, TfTensors.constant(tf, x), 12, TfParameters.of(params));
      try (Session session = new Session(graph); Result result = session.runner().fetch(y).run()) {
        FloatTensor actual = TfTensors.fromNative((TFloat32) result.get(0));
        double error = Fixtures.maxAbsError(actual, Oracle.forward(model, weights, x).get("output"));
        assertTrue(error < 1e-5, model.name() + ": max abs error " + error);
      }
    }
  }
}

package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ParameterSpec;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training graph's unrolled forward computes the same function as the serving graph and the
 * reference, every output included, with lengths and initial states.
 */
class UnrolledForwardTest {

  private static double worstOverall;

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.rnnx.tf.ServingParityTest#models")
  void matchesServingAndReference(Sequential model) {
    Weights weights = Fixtures.randomWeights(model, 3, 0.5);
    for (int[] bt : new int[][] {{5, 7}, {2, 1}}) {
      Map<String, Tensor> inputs = Fixtures.inputs(model, 9 + bt[1], bt[0], bt[1]);
      Map<String, FloatTensor> unrolled = unrolled(model, weights, inputs, bt[1]);
      Map<String, DoubleTensor> expected = Expected.outputs(model, weights, inputs);
      Map<String, FloatTensor> served;
      try (TfServingModel serving = TfServingModel.build(model, weights)) {
        served = serving.run(inputs);
      }
      assertEquals(expected.keySet(), unrolled.keySet());
      for (String name : expected.keySet()) {
        double error = Expected.maxAbsError(unrolled.get(name), expected.get(name));
        assertTrue(error < ServingParityTest.TOLERANCE, model.name() + " " + name + " T=" + bt[1] + ": max abs error " + error);
        double vsServing = 0;
        for (int i = 0; i < served.get(name).size(); i++) {
          vsServing = Math.max(vsServing, Math.abs(served.get(name).data()[i] - unrolled.get(name).data()[i]));
        }
        assertTrue(vsServing < ServingParityTest.TOLERANCE, model.name() + " " + name + ": unrolled vs serving " + vsServing);
        synchronized (UnrolledForwardTest.class) {
          worstOverall = Math.max(worstOverall, error);
        }
      }
    }
  }

  /** Every model output of the unrolled forward, on constants. */
  static Map<String, FloatTensor> unrolled(Sequential model, Weights weights, Map<String, Tensor> inputs, int length) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<TFloat32>> params = new LinkedHashMap<>();
      for (ParameterSpec p : model.parameters()) {
        params.put(p.name(), TfTensors.constant(tf, weights.get(p.name())));
      }
      Operand<TInt32> lengths = null;
      Map<String, Operand<TFloat32>> states = new LinkedHashMap<>();
      Unrolled input = null;
      for (var e : inputs.entrySet()) {
        if (e.getKey().equals(Sequential.INPUT)) {
          input = e.getValue() instanceof LongTensor ids
              ? Unrolled.tokens(tf.constant(org.tensorflow.ndarray.Shape.of(ids.shape()),
                  org.tensorflow.ndarray.buffer.DataBuffers.of(ids.data(), true, false)), length)
              : Unrolled.sequence(TfTensors.constant(tf, (FloatTensor) e.getValue()), length);
        } else if (e.getKey().equals(Sequential.LENGTHS)) {
          lengths = tf.constant(((LongTensor) e.getValue()).toIntArray());
        } else {
          states.put(e.getKey(), TfTensors.constant(tf, (FloatTensor) e.getValue()));
        }
      }
      LayerContext ctx = LayerContext.unrolled(tf, TfParameters.of(params), length, lengths, states);
      TfForward.Result forward = TfForward.unrolled(ctx, model, input);
      List<Operand<TFloat32>> outs = new ArrayList<>();
      for (Unrolled u : forward.outputs()) {
        outs.add(tf.identity(u.sequence() ? u.tensor(tf) : u.value())); // output and state_h may be one operand
      }
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      try (Session session = new Session(graph)) {
        Session.Runner runner = session.runner();
        outs.forEach(runner::fetch);
        try (Result result = runner.run()) {
          for (int i = 0; i < outs.size(); i++) {
            out.put(model.outputs().get(i).name(), TfTensors.fromNative((TFloat32) result.get(i)));
          }
        }
      }
      return out;
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("unrolled forward: worst max abs error vs reference %.3g over %d models%n", worstOverall,
        Models.all().size());
  }
}

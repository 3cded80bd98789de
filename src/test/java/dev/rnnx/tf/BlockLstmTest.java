package dev.rnnx.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.data.Dataset;
import dev.rnnx.data.Split;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Clipping;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Loss;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.OptimizerKind;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TrainingSpec;
import dev.rnnx.weights.Weights;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

/**
 * The fused {@code BlockLSTMV2} recurrence with its registered gradient trains like the unrolled
 * cell steps: the same losses and weights after a few Adam steps, to float32 rounding; and layers
 * it cannot express (peepholes, lengths) stay unrolled. {@code BlockLstm} is benchmark code
 * (src/jmh/java, compiled with the test sources of every build).
 */
class BlockLstmTest {

  private static final int I = 3;
  private static final int H = 8;
  private static final int T = 6;
  private static final int B = 4;

  @Test
  void fusedTrainsLikeUnrolled() {
    Sequential model = model(Lstm.of("lstm", H, false), ModelInput.ofFeatures(I));
    float[][] fused = train(model, true);
    float[][] unrolled = train(model, false);
    for (int k = 0; k < fused.length; k++) {
      assertEquals(fused[k].length, unrolled[k].length);
      for (int i = 0; i < fused[k].length; i++) {
        assertEquals(unrolled[k][i], fused[k][i], 2e-5 * Math.max(1, Math.abs(unrolled[k][i])), "value " + i + " of row " + k);
      }
    }
  }

  @Test
  void fusedOnlyWhereItApplies() {
    assertTrue(opTypes(model(Lstm.of("lstm", H, false), ModelInput.ofFeatures(I)), true).contains("BlockLSTMV2"));
    assertTrue(!opTypes(model(Lstm.of("lstm", H, false), ModelInput.ofFeatures(I)), false).contains("BlockLSTMV2"));
    assertTrue(!opTypes(model(Lstm.builder("lstm", H).peephole(true).build(), ModelInput.ofFeatures(I)), true)
        .contains("BlockLSTMV2"));
    assertTrue(!opTypes(model(Lstm.of("lstm", H, false), ModelInput.ofFeatures(I).withLengths()), true).contains("BlockLSTMV2"));
  }

  private static Sequential model(Lstm lstm, ModelInput input) {
    return new Sequential("block", input, List.of(lstm, new Dense("dense", 1, Activation.LINEAR, true)));
  }

  /** Seeded inputs and targets of one batch; no validation examples. */
  private static Split data() {
    Random random = new Random(7);
    float[] x = new float[B * T * I];
    float[] y = new float[B];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextGaussian();
    }
    return new Split(new Dataset(FloatTensor.of(x, B, T, I), FloatTensor.of(y, B, 1), null),
        new Dataset(FloatTensor.zeros(0, T, I), FloatTensor.zeros(0, 1), null));
  }

  private static TrainingGraph graph(Sequential model, Split data, boolean fused) {
    TrainingSpec spec = new TrainingSpec(Loss.MSE, OptimizerKind.ADAM, 1e-2, 1, B, Clipping.NONE, false);
    return new TrainingGraph(new SequentialTraining(model, spec, 11, T, data, new TfSessions.Config(1, 1, true),
        fused ? BlockLstm.FUSED : null), spec, InitialWeights.generate(model, 11));
  }

  /** The loss of each of 3 steps, then every parameter after them. */
  private static float[][] train(Sequential model, boolean fused) {
    Split data = data();
    try (TrainingGraph g = graph(model, data, fused); TrainingTask.Batch batch = g.task.batch(B)) {
      batch.fillTraining(IntStream.range(0, B).toArray(), 0, 1, 1);
      float[] losses = new float[3];
      for (int s = 0; s < losses.length; s++) {
        try (Result r = g.stepRunner(batch).run()) {
          losses[s] = ((TFloat32) r.get(0)).getFloat();
        }
      }
      Weights after = g.readParameters();
      float[][] out = new float[1 + after.tensors().size()][];
      out[0] = losses;
      int k = 1;
      for (FloatTensor t : after.tensors().values()) {
        out[k++] = t.data();
      }
      return out;
    }
  }

  private static Set<String> opTypes(Sequential model, boolean fused) {
    try (TrainingGraph g = graph(model, data(), fused)) {
      Set<String> types = new HashSet<>();
      g.graph.operations().forEachRemaining(op -> types.add(op.type()));
      return types;
    }
  }
}

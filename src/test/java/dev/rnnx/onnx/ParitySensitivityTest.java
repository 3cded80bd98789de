package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Negative controls: each classic conversion mistake, made on the oracle's side, moves its outputs
 * far beyond the parity tolerance, so the parity suites would see the mistake in the exporter.
 */
class ParitySensitivityTest {

  private static final int H = 4;

  private static double worst(float[] got, double[] want) {
    double w = 0;
    for (int i = 0; i < want.length; i++) {
      w = Math.max(w, Math.abs(want[i] - got[i]));
    }
    return w;
  }

  private static float[] ort(Sequential model, Weights weights, Map<String, Tensor> inputs) throws Exception {
    return OrtRunner.run(OnnxExporter.export(model, weights, 17, TestModels.provenance()).get("model"), inputs).get("output").data();
  }

  private static void assertSeen(String mistake, double error) {
    System.out.printf("negative control %-48s max abs err %.3e%n", mistake, error);
    assertTrue(error > 1e-3, mistake + " went unnoticed: " + error);
  }

  /** Swaps blocks a and b (h values each) of the last axis. */
  private static FloatTensor swapBlocks(FloatTensor t, int h, int a, int b) {
    float[] d = t.data().clone();
    int cols = (int) t.dim(-1);
    for (int row = 0; row < d.length / cols; row++) {
      for (int j = 0; j < h; j++) {
        float tmp = d[row * cols + a * h + j];
        d[row * cols + a * h + j] = d[row * cols + b * h + j];
        d[row * cols + b * h + j] = tmp;
      }
    }
    return new FloatTensor(t.shape(), d);
  }

  private static Weights with(Weights w, String name, FloatTensor t) {
    Map<String, FloatTensor> m = new LinkedHashMap<>(w.tensors());
    m.put(name, t);
    return new Weights(m);
  }

  @Test
  void peepholesInOnnxOrderAreSeen() throws Exception {
    Sequential model = new Sequential("p", ModelInput.ofFeatures(3), List.of(Lstm.builder("lstm", H).peephole(true)
        .returnSequences(true).build()));
    Weights w = TestModels.randomWeights(model, 2, 1.0);
    w = with(w, "lstm/peephole", scaled(w.get("lstm/peephole"), 5)); // peepholes strong enough to matter
    Map<String, Tensor> in = TestModels.randomInputs(model, 4, 8, 2);
    float[] got = ort(model, w, in);
    // i, f, o read as i, o, f
    double[] wrong = KerasOracle.run(model, with(w, "lstm/peephole", swapBlocks(w.get("lstm/peephole"), H, 1, 2)), in)
        .get("output").data();
    assertSeen("peephole f and o swapped", worst(got, wrong));
  }

  private static FloatTensor scaled(FloatTensor t, float s) {
    float[] d = t.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] *= s;
    }
    return new FloatTensor(t.shape(), d);
  }

  @Test
  void gruBiasRowsAreSeen() throws Exception {
    Sequential model = new Sequential("g", ModelInput.ofFeatures(3), List.of(Gru.builder("gru", H).returnSequences(true).build()));
    Weights w = TestModels.randomWeights(model, 3, 1.0);
    w = with(w, "gru/bias", scaled(w.get("gru/bias"), 5));
    Map<String, Tensor> in = TestModels.randomInputs(model, 4, 8, 3);
    float[] got = ort(model, w, in);
    float[] b = w.get("gru/bias").data();
    float[] swapped = new float[b.length];
    System.arraycopy(b, 3 * H, swapped, 0, 3 * H);
    System.arraycopy(b, 0, swapped, 3 * H, 3 * H);
    double[] wrong = KerasOracle.run(model, with(w, "gru/bias", FloatTensor.of(swapped, 2, 3 * H)), in).get("output").data();
    assertSeen("GRU input and recurrent bias rows swapped", worst(got, wrong));
  }

  @Test
  void goBackwardsOutputsInInputOrderAreSeen() throws Exception {
    Sequential model = new Sequential("b", ModelInput.ofFeatures(3).withLengths(), List.of(
        SimpleRnn.builder("rnn", H).returnSequences(true).goBackwards(true).build()));
    Weights w = TestModels.randomWeights(model, 4, 1.0);
    Map<String, Tensor> in = TestModels.randomInputs(model, 6, 6, 4);
    float[] got = ort(model, w, in);
    RecurrentLayer rnn = (RecurrentLayer) model.layers().get(0);
    FloatTensor x = (FloatTensor) in.get("input");
    int[] lengths = ((dev.rnnx.spec.LongTensor) in.get("lengths")).toIntArray();
    // outputs left where ONNX's reverse direction puts them (input time), not in processing order
    double[] wrong = KerasOracle.recurrent(rnn, "rnn/", w, new KerasOracle.Tensor(x.shape(), KerasOracle.toDouble(x.data())),
        lengths, null, true, false)[0].data();
    assertSeen("go_backwards outputs left in input order", worst(got, wrong));
    // reordering over the padded length instead of each sequence's own
    java.util.Arrays.fill(lengths, 6);
    Map<String, Tensor> full = new LinkedHashMap<>(in);
    full.remove("lengths");
    Sequential noLengths = new Sequential("b", ModelInput.ofFeatures(3), model.layers());
    double[] padded = KerasOracle.run(noLengths, w, full).get("output").data();
    assertSeen("lengths ignored", worst(got, padded));
  }

  @Test
  void bidirectionalHalvesInTheWrongPlaceAreSeen() throws Exception {
    Sequential model = new Sequential("bi", ModelInput.ofFeatures(3).withLengths(), List.of(
        new Bidirectional("bi", Lstm.builder("inner", H).returnSequences(true).build(), MergeMode.CONCAT)));
    Weights w = TestModels.randomWeights(model, 5, 1.0);
    Map<String, Tensor> in = TestModels.randomInputs(model, 6, 6, 5);
    float[] got = ort(model, w, in);
    Map<String, FloatTensor> swapped = new LinkedHashMap<>();
    w.tensors().forEach((k, v) -> swapped.put(k.contains("/forward/") ? k.replace("/forward/", "/backward/")
        : k.replace("/backward/", "/forward/"), v));
    double[] wrong = KerasOracle.run(model, new Weights(swapped), in).get("output").data();
    assertSeen("forward and backward weights swapped", worst(got, wrong));
  }
}

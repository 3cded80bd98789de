package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.Sequential;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The walking skeleton's LSTM + Dense models, exported and run on raw ONNX Runtime Java and on the
 * reference evaluator against {@link KerasOracle} (double precision): every output, max abs error
 * below 1e-5 ({@link Parity}).
 */
class OnnxExporterParityTest {

  static Sequential sineLstm() {
    return new Sequential("sine-lstm", 1, List.of(Lstm.of("lstm", 20, false), new Dense("dense", 1, Activation.LINEAR, true)));
  }

  static Stream<Arguments> sineLstmShapes() {
    return Stream.of(1, 7).flatMap(b -> Stream.of(1, 25, 100).map(t -> Arguments.of(b, t)));
  }

  @ParameterizedTest(name = "LSTM(20)->Dense(1), batch {0}, T {1}")
  @MethodSource("sineLstmShapes")
  void lstmDenseMatchesOracle(int batch, int time) throws Exception {
    Sequential model = sineLstm();
    assertParity("lstm-dense", model, TestModels.randomWeights(model, 7, 1.0), batch, time, 17);
  }

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("return_sequences", new Sequential("seq", 4, List.of(
            Lstm.of("lstm", 16, true), new Dense("dense", 3, Activation.LINEAR, true)))),
        Arguments.of("return_state", new Sequential("state", 3, List.of(
            new Lstm("lstm", 12, false, true, Activation.TANH, Activation.SIGMOID, true)))),
        Arguments.of("return_sequences+return_state", new Sequential("seqstate", 3, List.of(
            new Lstm("lstm", 12, true, true, Activation.TANH, Activation.SIGMOID, true)))),
        Arguments.of("stacked", new Sequential("stacked", 2, List.of(
            Lstm.of("lstm1", 16, true), Lstm.of("lstm2", 8, false), new Dense("dense", 2, Activation.TANH, true)))),
        Arguments.of("relu_activation", new Sequential("relu", 2, List.of(
            new Lstm("lstm", 10, true, false, Activation.RELU, Activation.SIGMOID, true),
            new Dense("dense", 1, Activation.RELU, true)))),
        Arguments.of("hard_relu_gates", new Sequential("relugates", 2, List.of(
            new Lstm("lstm", 6, false, false, Activation.TANH, Activation.RELU, true)))),
        Arguments.of("no_bias", new Sequential("nobias", 3, List.of(
            new Lstm("lstm", 10, false, false, Activation.TANH, Activation.SIGMOID, false),
            new Dense("dense", 2, Activation.SIGMOID, false)))),
        Arguments.of("dense_first", new Sequential("densefirst", 3, List.of(
            new Dense("proj", 5, Activation.RELU, true), Lstm.of("lstm", 6, true),
            new Dense("head", 2, Activation.LINEAR, false)))));
  }

  static Stream<Arguments> variantRuns() {
    return variants().flatMap(v -> Stream.of(new int[] {1, 1}, new int[] {7, 25}, new int[] {7, 100})
        .map(bt -> Arguments.of(v.get()[0], v.get()[1], bt[0], bt[1])));
  }

  @ParameterizedTest(name = "{0}, batch {2}, T {3}")
  @MethodSource("variantRuns")
  void variantMatchesOracle(String label, Sequential model, int batch, int time) throws Exception {
    double scale = label.contains("relu") ? 0.5 : 1.0;
    assertParity(label, model, TestModels.randomWeights(model, label.hashCode(), scale), batch, time, 17);
  }

  static Stream<Arguments> opsets() {
    return Stream.of(9, 11, 13, 14, 17, 21, 22).map(Arguments::of);
  }

  @ParameterizedTest(name = "stacked model at opset {0}")
  @MethodSource("opsets")
  void everySupportedOpsetMatchesOracle(int opset) throws Exception {
    Sequential model = (Sequential) variants().filter(a -> a.get()[0].equals("stacked")).findFirst().orElseThrow().get()[1];
    assertParity("stacked@" + opset, model, TestModels.randomWeights(model, 11, 1.0), 3, 25, opset);
  }

  /**
   * Negative control: an oracle fed weights with the forget and output gate blocks swapped (the
   * classic i,f,c,o vs i,o,f,c mistake) disagrees with the exported model far beyond the tolerance,
   * so the parity tests above can see a gate-order bug.
   */
  @Test
  void parityCatchesAGateOrderMistake() throws Exception {
    Sequential model = sineLstm();
    Weights weights = TestModels.randomWeights(model, 7, 1.0);
    FloatTensor input = TestModels.randomInput(7, 25, 1, 1);
    float[] got = OrtRunner.run(OnnxExporter.export(model, weights, TestModels.provenance()).get("model"), "input", input)
        .get("output").data();
    Map<String, FloatTensor> swapped = new LinkedHashMap<>(weights.tensors());
    for (String p : List.of("lstm/kernel", "lstm/recurrent_kernel", "lstm/bias")) {
      swapped.put(p, swapGateBlocks(weights.get(p), 20, 1, 3));
    }
    double[] wrong = KerasOracle.run(model, new Weights(swapped), input).get("output").data();
    double worst = 0;
    for (int i = 0; i < wrong.length; i++) {
      worst = Math.max(worst, Math.abs(wrong[i] - got[i]));
    }
    System.out.printf("negative control (f and o swapped): max abs err %.3e%n", worst);
    assertTrue(worst > 1e-3, "a swapped gate order went unnoticed: " + worst);
  }

  /** Swaps gate blocks {@code a} and {@code b} (H columns each) along the last axis. */
  private static FloatTensor swapGateBlocks(FloatTensor t, int h, int a, int b) {
    float[] d = t.data().clone();
    int cols = (int) t.dim(-1);
    for (int row = 0; row < d.length / cols; row++) {
      for (int j = 0; j < h; j++) {
        int x = row * cols + a * h + j;
        int y = row * cols + b * h + j;
        float tmp = d[x];
        d[x] = d[y];
        d[y] = tmp;
      }
    }
    return new FloatTensor(t.shape(), d);
  }

  static void assertParity(String label, Sequential model, Weights weights, int batch, int time, int opset)
      throws Exception {
    Map<String, dev.rnnx.spec.Tensor> inputs = Map.of("input",
        TestModels.randomInput(batch, time, model.inputFeatures(), 1000L * batch + time));
    Parity.check(String.format("%s opset %d batch %d T %d", label, opset, batch, time), model, weights, inputs, opset);
  }
}

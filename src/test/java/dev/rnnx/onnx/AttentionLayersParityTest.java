package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.GlobalAveragePooling;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attention-family layer kind, exported with seeded random weights and run on raw ONNX
 * Runtime and on the reference evaluator, both against {@link AttentionOracle} at atol 1e-5
 * ({@link Parity}): the four score functions, padding and causal masks, one and several heads,
 * standard ops and ONNX's {@code Attention} (opset 23), Transformer blocks, layer normalisation
 * with and without scale and centre, positional encodings, pooling over lengths. Batches of 6
 * sequences of 6 steps hold every length 1 … 6 when the model reads lengths.
 */
class AttentionLayersParityTest {

  static final int BATCH = 6;
  static final int TIME = 6;

  static Sequential model(String name, int features, boolean lengths, Layer... layers) {
    ModelInput in = ModelInput.ofFeatures(features);
    return new Sequential(name, lengths ? in.withLengths() : in, List.of(layers));
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (AttentionScore score : AttentionScore.values()) {
      for (boolean causal : new boolean[] {false, true}) {
        for (boolean lengths : new boolean[] {false, true}) {
          String label = "attention " + score.recipeName() + (causal ? " causal" : "") + (lengths ? " lengths" : "");
          cases.add(Arguments.of(label, model("att", 4, lengths, new Attention("att", score, 5, causal)), 17));
        }
      }
    }
    for (AttentionScore score : AttentionScore.values()) {
      cases.add(Arguments.of("attention " + score.recipeName() + " lengths, opset 23",
          model("att", 4, true, new Attention("att", score, 5, false)), 23));
      cases.add(Arguments.of("attention " + score.recipeName() + " causal, opset 23",
          model("att", 4, false, new Attention("att", score, 5, true)), 23));
    }
    cases.add(Arguments.of("attention additive lengths, opset 12",
        model("att", 4, true, new Attention("att", AttentionScore.ADDITIVE, 3, false)), 12));
    for (int opset : new int[] {17, 23}) {
      for (int heads : new int[] {1, 3}) {
        cases.add(Arguments.of("mha " + heads + " heads lengths, opset " + opset,
            model("mha", 6, true, new MultiHeadAttention("mha", heads, 4, false)), opset));
        cases.add(Arguments.of("mha " + heads + " heads causal lengths, opset " + opset,
            model("mha", 6, true, new MultiHeadAttention("mha", heads, 2, true)), opset));
      }
      cases.add(Arguments.of("mha 2 heads causal, opset " + opset,
          model("mha", 6, false, new MultiHeadAttention("mha", 2, 3, true)), opset));
      cases.add(Arguments.of("mha 2 heads no mask, opset " + opset,
          model("mha", 6, false, new MultiHeadAttention("mha", 2, 3, false)), opset));
      cases.add(Arguments.of("transformer block lengths, opset " + opset,
          model("enc", 8, true, new TransformerEncoder("enc", 2, 16, 1e-3, false)), opset));
      cases.add(Arguments.of("transformer block causal lengths, opset " + opset,
          model("enc", 8, true, new TransformerEncoder("enc", 4, 8, 1e-5, true)), opset));
      cases.add(Arguments.of("transformer block, opset " + opset,
          model("enc", 8, false, new TransformerEncoder("enc", 1, 8, 1e-3, false)), opset));
      cases.add(Arguments.of("transformer block norm_first gelu lengths, opset " + opset,
          model("enc", 8, true, new TransformerEncoder("enc", 2, 16, 1e-3, false, true, FeedForwardActivation.GELU)), opset));
      cases.add(Arguments.of("transformer block norm_first relu causal, opset " + opset,
          model("enc", 8, false, new TransformerEncoder("enc", 4, 8, 1e-5, true, true, FeedForwardActivation.RELU)), opset));
      cases.add(Arguments.of("transformer block gelu lengths, opset " + opset,
          model("enc", 8, true, new TransformerEncoder("enc", 2, 8, 1e-5, false, false, FeedForwardActivation.GELU)), opset));
    }
    cases.add(Arguments.of("mha 2 heads lengths, opset 13",
        model("mha", 6, true, new MultiHeadAttention("mha", 2, 3, false)), 13));
    cases.add(Arguments.of("layer norm", model("ln", 5, false, LayerNormalization.of("ln")), 17));
    cases.add(Arguments.of("layer norm no centre, eps 1e-5", model("ln", 5, false,
        new LayerNormalization("ln", 1e-5, false, true)), 17));
    cases.add(Arguments.of("layer norm no scale", model("ln", 5, false, new LayerNormalization("ln", 1e-3, true, false)), 23));
    cases.add(Arguments.of("layer norm neither", model("ln", 5, false, new LayerNormalization("ln", 0.1, false, false)), 17));
    cases.add(Arguments.of("positional encoding", model("pe", 6, false, new PositionalEncoding("pe", 10, false)), 17));
    cases.add(Arguments.of("positional encoding scaled, odd width, opset 11",
        model("pe", 5, false, new PositionalEncoding("pe", 6, true)), 11));
    cases.add(Arguments.of("pooling", model("pool", 3, false, new GlobalAveragePooling("pool")), 17));
    cases.add(Arguments.of("pooling lengths", model("pool", 3, true, new GlobalAveragePooling("pool")), 17));
    cases.add(Arguments.of("pooling lengths, opset 11", model("pool", 3, true, new GlobalAveragePooling("pool")), 11));
    cases.add(Arguments.of("pooling, opset 18", model("pool", 3, false, new GlobalAveragePooling("pool")), 18));
    cases.add(Arguments.of("lstm -> attention -> pooling -> dense, lengths", model("mix", 3, true,
        Lstm.of("lstm", 6, true), new Attention("att", AttentionScore.GENERAL, 0, false), new GlobalAveragePooling("pool"),
        new Dense("dense", 2, Activation.SOFTMAX, true)), 17));
    cases.add(Arguments.of("tokens -> pe -> 2 blocks -> pooling -> softmax, lengths", new Sequential("classifier",
        ModelInput.ofTokens().withLengths(), List.of(new Embedding("emb", 11, 8, Initializer.EMBEDDING),
            new PositionalEncoding("pe", 12, true), new TransformerEncoder("block_0", 2, 12, 1e-3, false),
            new TransformerEncoder("block_1", 2, 12, 1e-3, false), new GlobalAveragePooling("pool"),
            new Dense("dense", 3, Activation.SOFTMAX, true))), 17));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTheOracle(String label, Sequential model, int opset) throws Exception {
    Weights weights = TestModels.randomWeights(model, label.hashCode(), 1.5);
    Map<String, Tensor> inputs = TestModels.randomInputs(model, BATCH, TIME, label.hashCode() + 1L);
    Parity.check(label, model, weights, inputs, opset);
  }

  /**
   * A sequence longer than {@code max_length}: the reference evaluator (and ONNX Runtime without
   * graph optimisations) fails at the Reshape guard. ONNX Runtime's optimiser drops that Reshape
   * (it infers the Slice's rows as T, ignoring the clamp), so there the run fails one node later,
   * at the broadcast, when the table has 2 rows or more; a 1-row table would broadcast silently,
   * which is why every backend also refuses such inputs before any native call
   * ({@code runtimes.yaml}: {@code optimizer_keeps_shape_guards}).
   */
  @Test
  void positionalEncodingRefusesSequencesLongerThanItsTable() {
    Sequential model = model("pe", 4, false, new PositionalEncoding("pe", 5, false));
    OnnxMl.ModelProto onnx = OnnxExporter.export(model, TestModels.randomWeights(model, 1, 1), 17, TestModels.provenance()).get("model");
    Map<String, Tensor> inputs = TestModels.randomInputs(model, 2, 6, 3);
    Exception ort = assertThrows(Exception.class, () -> OrtRunner.run(onnx, inputs));
    assertTrue(ort.getMessage().contains("pe/Add") && ort.getMessage().contains("5 by 6"), ort.getMessage());
    Exception ref = assertThrows(IllegalArgumentException.class, () -> EvaluatorRunner.run(onnx, inputs));
    assertTrue(ref.getMessage().contains("pe/rows_guard") && ref.getMessage().contains("cannot reshape [5, 4] to [6, 4]"),
        ref.getMessage());
    assertTrue(EvaluatorRunner.run(onnx, TestModels.randomInputs(model, 2, 5, 3)).containsKey("output"), "5 steps are served");
    Sequential one = model("pe", 4, false, new PositionalEncoding("pe", 1, false));
    OnnxMl.ModelProto tiny = OnnxExporter.export(one, TestModels.randomWeights(one, 1, 1), 17, TestModels.provenance()).get("model");
    assertThrows(IllegalArgumentException.class, () -> EvaluatorRunner.run(tiny, TestModels.randomInputs(one, 2, 2, 3)));
  }
}

package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inputs that do not fit the model are refused, before computing, with a message that says why. */
class BadInputsTest {

  static final Sequential TOKENS = new Sequential("m", ModelInput.ofTokens().withLengths(), List.of(
      new Embedding("e", 5, 2, Initializer.EMBEDDING),
      new Bidirectional("bi", Lstm.builder("x", 3).stateInputs(true).build(), MergeMode.CONCAT)));
  static final ReferenceModel REF = new ReferenceModel(TOKENS, RefFixtures.weights(TOKENS, 1, 0.5));

  static Map<String, Tensor> good() {
    Map<String, Tensor> m = new HashMap<>(RefFixtures.inputs(TOKENS, 3, 4, new int[] {4, 1, 2}, 2, 5));
    return m;
  }

  static String refused(Map<String, Tensor> in) {
    return assertThrows(IllegalArgumentException.class, () -> REF.forward(in)).getMessage();
  }

  static void assertMentions(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "'" + message + "' should mention '" + p + "'");
    }
  }

  @Test
  void goodInputsRun() {
    assertTrue(REF.forward(good()).containsKey("output"));
  }

  @Test
  void tokenIdsOutsideTheVocabulary() {
    Map<String, Tensor> in = good();
    in.put("input", LongTensor.of(new long[] {0, 1, 2, 3, 4, 0, 1, 5, 2, 2, 2, 2}, 3, 4));
    assertMentions(refused(in), "request: input 'input' holds 5 at [1, 3], expected 0 … 4 (token ids of embedding 'e')");
    in.put("input", LongTensor.of(new long[] {0, 1, 2, -1, 4, 0, 1, 1, 2, 2, 2, 2}, 3, 4));
    assertMentions(refused(in), "input 'input' holds -1 at [0, 3]");
    in.put("input", FloatTensor.zeros(3, 4, 1));
    assertMentions(refused(in), "input 'input' must be int64 [batch, time], got float32 [3, 4, 1]");
  }

  @Test
  void lengthsOutsideOneToT() {
    Map<String, Tensor> in = good();
    in.put("lengths", LongTensor.of(new long[] {4, 0, 2}, 3));
    assertMentions(refused(in), "input 'lengths' holds 0 at [1], expected 1 … 4 (lengths along time)");
    in.put("lengths", LongTensor.of(new long[] {4, 5, 2}, 3));
    assertMentions(refused(in), "input 'lengths' holds 5 at [1], expected 1 … 4");
  }

  @Test
  void lengthsForAnotherBatch() {
    Map<String, Tensor> in = good();
    in.put("lengths", LongTensor.of(new long[] {4, 1}, 2));
    assertMentions(refused(in), "input 'lengths' must be int32 [batch], got int64 [2]: batch is 3 in input 'input'");
    in.remove("lengths");
    assertMentions(refused(in), "input 'lengths' is missing");
    in.put("lengths", FloatTensor.of(new float[] {4, 1, 2}, 3));
    assertMentions(refused(in), "input 'lengths' must be int32 [batch], got float32 [3]");
  }

  @Test
  void stateInputsOfTheWrongShapeOrMissing() {
    Map<String, Tensor> in = good();
    in.put("bi_backward_c0", FloatTensor.zeros(2, 3));
    assertMentions(refused(in), "input 'bi_backward_c0' must be float32 [batch, 3], got float32 [2, 3]: batch is 3 in input 'input'");
    in.remove("bi_backward_c0");
    assertMentions(refused(in), "'bi_backward_c0' is missing", "bi_forward_h0");
    in.put("bi_backward_c0", FloatTensor.zeros(3, 3));
    in.put("lstm_h0", FloatTensor.zeros(3, 3));
    assertMentions(refused(in), "unknown input 'lstm_h0'");
  }

  @Test
  void layerForwardsCheckWhatTheyAreGivenDirectly() {
    Gru gru = Gru.builder("g", 2).stateInputs(true).build();
    Sequential m = new Sequential("m", 1, List.of(gru));
    Weights w = RefFixtures.weights(m, 3, 0.5);
    RefForward<Gru> f = RefLayers.forward(gru);
    DoubleTensor x = DoubleTensor.zeros(2, 3, 1);
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> f.forward(gru, RefInput.of(x), w)).getMessage(), "initial state 'h'");
    Map<String, DoubleTensor> h0 = Map.of("h", DoubleTensor.zeros(2, 2));
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> f.forward(gru, new RefInput(x, new int[] {3, 4}, h0), w)).getMessage(), "length 4", "expected 1 … 3");
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> f.forward(gru, new RefInput(x, new int[] {3}, h0), w)).getMessage(), "lengths has 1 entries");
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> f.forward(gru, new RefInput(DoubleTensor.zeros(2, 1), null, h0), w)).getMessage(), "sequence input");
    Embedding e = new Embedding("e", 3, 2, Initializer.EMBEDDING);
    Weights ew = RefFixtures.weights(new Sequential("m", ModelInput.ofTokens(), List.of(e)), 4, 0.5);
    DoubleTensor ids = new DoubleTensor(new long[] {1, 2}, new double[] {1, 1.5});
    assertMentions(assertThrows(IllegalArgumentException.class,
        () -> RefLayers.forward(e).forward(e, RefInput.of(ids), ew)).getMessage(), "token id 1.5");
  }

  @Test
  void everyLayerKindHasAForward() {
    assertTrue(RefLayers.kinds().containsAll(List.of("dense", "simple_rnn", "lstm", "gru", "bidirectional",
        "time_distributed", "embedding")), RefLayers.kinds().toString());
  }
}

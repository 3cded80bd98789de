package dev.rnnx.verify;

import dev.rnnx.pipeline.ParityAssertionError;
import dev.rnnx.pipeline.ParityAssertions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Initializer;
import dev.rnnx.spec.LayerNormalization;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.ModelInput;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof that verify catches real export bugs: each bug that users of tf2onnx and torch.onnx
 * actually hit is injected into an rnnx export of a small seeded model, and verify (reference:
 * {@code ref}, candidate: the mutated file on {@code djl-ort}) must fail and name the mutated layer
 * (and, for gate bugs, the gate). The unmutated export passes the same check.
 * {@link HandBuiltMutationTest} also covers the attention and LayerNorm bugs on hand-built graphs.
 */
class MutationTest {

  private static final VerifyOptions ORT_ONLY = VerifyOptions.builder().backends(List.of("djl-ort")).build();

  /** Verifies the mutated export and returns the divergence, after checking the clean export passes. */
  private static Divergence caught(Sequential model, Weights w, int length, Path dir, UnaryOperator<OnnxMl.ModelProto> bug)
      throws Exception {
    Path clean = Mutations.export(model, w, dir.resolve("clean.onnx"), m -> m);
    ParityAssertions.assertParity(model, w, clean, null, length, ORT_ONLY);
    Path mutated = Mutations.export(model, w, dir.resolve("mutated.onnx"), bug);
    ParityAssertionError e = assertThrows(ParityAssertionError.class,
        () -> ParityAssertions.assertParity(model, w, mutated, null, length, ORT_ONLY));
    assertFalse(e.report().passed());
    assertEquals(1, e.report().form("model").parity().divergences().size(), e.getMessage());
    Divergence d = e.report().form("model").parity().divergences().get(0);
    assertTrue(e.getMessage().startsWith("parity does not hold: " + d.message()), e.getMessage());
    System.out.println(model.name() + ": " + d.message());
    return d;
  }

  @Test
  void lstmGatesLeftInKerasOrderAreLocalisedToTheLayerAndItsGates(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("keras-gate-order", 2, List.of(
        Lstm.builder("lstm1", 4).returnSequences(true).build(),
        Lstm.builder("lstm2", 5).returnSequences(true).build(),
        new TimeDistributed("head", new Dense("head", 2, Activation.LINEAR, true))));
    Divergence d = caught(m, Mutations.weights(m, 11, 0.6), 6, dir, x -> Mutations.lstmKerasGateOrder(x, "lstm2"));
    assertEquals("lstm2", d.layer());
    // the same through raw ONNX Runtime in a child process: the tapped copy runs in a child of its own
    Weights w = Mutations.weights(m, 11, 0.6);
    ParityAssertionError viaChild = assertThrows(ParityAssertionError.class, () -> ParityAssertions.assertParity(m, w,
        dir.resolve("mutated.onnx"), null, 6, VerifyOptions.builder().backends(List.of("ort")).build()));
    Divergence c = viaChild.report().form("model").parity().divergences().get(0);
    assertEquals("ort", c.candidate());
    assertEquals("lstm2", c.layer());
    assertEquals(List.of("f", "c", "o"), c.gateNames());
    assertEquals(1, d.layerIndex());
    assertEquals(0, d.step(), "wrong weights diverge at the first step");
    // ONNX's slots (i, o, f, c) hold Keras's (i, f, c, o): the input gate is right, the other three are not
    assertEquals(List.of("f", "c", "o"), d.gateNames());
    assertTrue(d.message().contains("gate f first"), d.message());
  }

  @Test
  void gatesOfABidirectionalAroundAGoBackwardsLayerAreReplayedOnTheRightDirection(@TempDir Path dir) throws Exception {
    // its forward half reads backwards: ONNX's direction 1, whose weights and per-step states the locator must compare
    Sequential m = new Sequential("reversed-bi", 2, List.of(
        new dev.rnnx.spec.Bidirectional("bi", Lstm.builder("bi", 4).goBackwards(true).returnSequences(true).build(),
            dev.rnnx.spec.MergeMode.CONCAT),
        new TimeDistributed("head", new Dense("head", 2, Activation.LINEAR, true))));
    Divergence d = caught(m, Mutations.weights(m, 15, 0.6), 6, dir, x -> { // Keras's gate order in each direction
      OnnxMl.GraphProto.Builder g = x.getGraph().toBuilder();
      OnnxMl.NodeProto node = g.getNode(Mutations.nodeIndex(g.build(), "bi", "LSTM"));
      for (int input : new int[] {1, 2, 3}) {
        Mutations.replaceInitializer(g, node.getInput(input), t -> Mutations.permuteBlocks(t, 4, new int[] {0, 2, 3, 1},
            input == 3 ? 4 : 2));
      }
      return x.toBuilder().setGraph(g).build();
    });
    assertEquals("bi", d.layer());
    assertTrue(d.message().contains("of the forward direction"), d.message());
    assertEquals(List.of("f", "c", "o"), d.gateNames(), d.message()); // slot i holds i: replayed on ONNX's direction 1
  }

  @Test
  void gruLinearBeforeResetFlippedIsLocalisedToTheCandidateGate(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("gru-lbr", 3, List.of(
        Gru.builder("gru", 6).resetAfter(true).returnSequences(true).build(),
        new TimeDistributed("head", new Dense("head", 1, Activation.LINEAR, true))));
    Divergence d = caught(m, Mutations.weights(m, 12, 0.6), 6, dir, x -> Mutations.gruLinearBeforeResetFlipped(x, "gru"));
    assertEquals("gru", d.layer());
    assertEquals(List.of("h"), d.gateNames(), "z and r do not depend on linear_before_reset; the candidate state does");
  }

  @Test
  void droppedRecurrentBiasIsLocalisedToTheLayersGates(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("gru-bias", 2, List.of(
        Gru.builder("gru", 5).resetAfter(true).build(),
        new Dense("head", 1, Activation.LINEAR, true)));
    Divergence d = caught(m, Mutations.weights(m, 13, 0.6), 6, dir, x -> Mutations.recurrentBiasDropped(x, "gru", "GRU"));
    assertEquals("gru", d.layer());
    assertEquals(0, d.step());
    assertEquals(List.of("z", "r", "h"), d.gateNames(), "the recurrent bias enters every gate");
  }

  @Test
  void backwardDirectionNotReReversedIsLocalisedToTheLayerNotItsSteps(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("go-backwards", 2, List.of(
        Lstm.builder("rev", 4).goBackwards(true).returnSequences(true).build(),
        new TimeDistributed("head", new Dense("head", 1, Activation.LINEAR, true))));
    Divergence d = caught(m, Mutations.weights(m, 14, 0.6), 6, dir, x -> Mutations.backwardNotReReversed(x, "rev"));
    assertEquals("rev", d.layer());
    assertEquals(-1, d.step(), "the node's per-step states are right; only their order is not");
    assertTrue(d.message().contains("re-reversing a backward direction"), d.message());
  }

  @Test
  void ignoredSequenceLengthsAreLocalisedToTheFirstPaddingStep(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("masked", ModelInput.ofTokens().withLengths(), List.of(
        new Embedding("embed", 7, 3, Initializer.EMBEDDING),
        Lstm.builder("lstm", 5).build(),
        new Dense("head", 3, Activation.SOFTMAX, true)));
    Divergence d = caught(m, Mutations.weights(m, 15, 0.6), 6, dir, x -> Mutations.sequenceLengthsIgnored(x, "lstm", "LSTM"));
    assertEquals("lstm", d.layer());
    assertEquals(1, d.layerIndex());
    assertTrue(d.step() >= d.length(), "the first diverging step lies past the sequence's length: " + d.message());
    assertTrue(d.message().contains("sequence lengths ignored"), d.message());
  }

  @Test
  void attentionScaleMissingIsLocalisedToTheAttentionLayer(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("attention-scale", 4, List.of(
        new Dense("project", 8, Activation.TANH, true),
        new MultiHeadAttention("mha", 2, 4, false),
        new TimeDistributed("head", new Dense("head", 2, Activation.LINEAR, true))));
    Divergence d = caught(m, Mutations.weights(m, 21, 0.8), 5, dir, x -> Mutations.attentionScaleDropped(x, "mha"));
    assertEquals("mha", d.layer(), d.message());
    assertEquals(1, d.layerIndex());
  }

  @Test
  void layerNormEpsilonChangedIsLocalisedToTheNormalisation(@TempDir Path dir) throws Exception {
    Sequential m = new Sequential("layer-norm-epsilon", 3, List.of(
        new Dense("project", 6, Activation.LINEAR, true),
        new LayerNormalization("norm", 1e-5, true, true),
        new TimeDistributed("head", new Dense("head", 2, Activation.LINEAR, true))));
    // inputs of small variance make epsilon matter: scale the projection down
    Divergence d = caught(m, Mutations.weights(m, 23, 0.05), 5, dir, x -> Mutations.layerNormEpsilonChanged(x, "norm", 1e-2f));
    assertEquals("norm", d.layer(), d.message());
    assertEquals(1, d.layerIndex());
  }
}

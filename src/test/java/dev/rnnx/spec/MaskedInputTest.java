package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras masking as a model input's {@code mask_value}: where the mask is consumed, and what is refused. */
class MaskedInputTest {

  private static final ModelInput MASKED = ModelInput.ofFeatures(3).withMask(0.0);

  @Test
  void theFirstRecurrentLayerConsumesTheMask() {
    Sequential m = new Sequential("m", MASKED, List.of(new TimeDistributed("td", new Dense("d", 4, Activation.TANH, true)),
        Lstm.of("lstm", 5, false), new Dense("out", 2, Activation.LINEAR, true)));
    assertEquals(1, m.maskConsumer());
    assertTrue(m.input().masked());
    assertEquals(-1, new Sequential("n", ModelInput.ofFeatures(3), List.of(Lstm.of("lstm", 5, false))).maskConsumer());
    assertFalse(ModelInput.ofFeatures(3).masked());
  }

  @Test
  void aForwardSequenceOutputMayBeFollowedByPerStepLayersOnly() {
    assertEquals(0, new Sequential("m", MASKED, List.of(Lstm.of("lstm", 5, true),
        new TimeDistributed("td", new Dense("d", 2, Activation.LINEAR, true)))).maskConsumer());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential("m", MASKED,
        List.of(Lstm.of("a", 5, true), new Attention("att", AttentionScore.DOT, 0, false))));
    assertTrue(e.getMessage().contains("layer 'att' (attention) would read the mask that 'a' passes on"), e.getMessage());
  }

  @Test
  void anAveragePoolingReadsTheMaskAndAMaxPoolingIgnoresIt() {
    // Keras's GlobalAveragePooling1D averages the unmasked steps: it consumes the mask (the mean over the compacted steps)
    assertEquals(1, new Sequential("m", MASKED, List.of(Lstm.of("a", 5, true), new GlobalAveragePooling("pool"),
        new Dense("out", 2, Activation.LINEAR, true))).maskConsumer());
    assertEquals(2, new Sequential("m", MASKED, List.of(new Bidirectional("b", Gru.builder("g", 3).returnSequences(true).build(),
        MergeMode.CONCAT), new Dense("d", 4, Activation.TANH, true), new GlobalAveragePooling("pool"))).maskConsumer());
    assertEquals(1, new Sequential("m", MASKED, List.of(new Dense("d", 4, Activation.TANH, true),
        new GlobalAveragePooling("pool"))).maskConsumer());
    // GlobalMaxPooling1D ignores the mask: the recurrent layer restores its sequence and the max runs over every step
    assertEquals(0, new Sequential("m", MASKED, List.of(Lstm.of("a", 5, true), new GlobalMaxPooling("pool"))).maskConsumer());
    assertEquals(0, new Sequential("m", MASKED, List.of(Lstm.builder("a", 5).returnSequences(true).goBackwards(true).build(),
        new GlobalMaxPooling("pool"))).maskConsumer());
    IllegalArgumentException back = assertThrows(IllegalArgumentException.class, () -> new Sequential("m", MASKED, List.of(
        Lstm.builder("a", 5).returnSequences(true).goBackwards(true).build(), new GlobalAveragePooling("pool"))));
    assertTrue(back.getMessage().contains("layer 'pool' (global_average_pooling) would read the mask that 'a' (go_backwards)"),
        back.getMessage());
  }

  @Test
  void stackedRecurrentLayersAllReadTheMaskAndTheLastRestoresIt() {
    Sequential m = new Sequential("m", MASKED, List.of(Lstm.of("a", 5, true), new Dense("d", 4, Activation.TANH, true),
        new Bidirectional("b", Gru.builder("g", 3).returnSequences(true).build(), MergeMode.SUM), Lstm.of("c", 2, false),
        new Dense("out", 2, Activation.LINEAR, true)));
    assertEquals(3, m.maskConsumer());
    assertEquals(2, new Sequential("m", MASKED, List.of(Lstm.of("a", 5, true), new Dense("d", 4, Activation.TANH, true),
        Lstm.of("c", 2, true))).maskConsumer());
    IllegalArgumentException back = assertThrows(IllegalArgumentException.class, () -> new Sequential("m", MASKED, List.of(
        Lstm.builder("a", 5).returnSequences(true).goBackwards(true).build(), Lstm.of("c", 2, false))));
    assertTrue(back.getMessage().contains("layer 'c' would read the mask that 'a' (go_backwards) passes on"), back.getMessage());
    assertEquals(1, new Sequential("m", MASKED, List.of(Lstm.of("a", 5, true),
        new Bidirectional("b", Gru.builder("g", 3).returnSequences(true).build(), MergeMode.CONCAT))).maskConsumer());
    assertEquals(0, new Sequential("m", MASKED, List.of(Lstm.builder("a", 5).returnSequences(true).goBackwards(true).build(),
        new TimeDistributed("td", new Dense("d", 2, Activation.LINEAR, true)))).maskConsumer());
    for (MergeMode mode : MergeMode.values()) { // Keras zeroes a Bidirectional's masked steps: every merge restores alike
      assertEquals(1, new Sequential("m", MASKED, List.of(Lstm.of("a", 5, true),
          new Bidirectional("b", Gru.builder("g", 3).returnSequences(true).build(), mode))).maskConsumer());
    }
    IllegalArgumentException bi = assertThrows(IllegalArgumentException.class, () -> new Sequential("m", MASKED, List.of(
        new Bidirectional("b", Gru.builder("g", 3).returnSequences(true).goBackwards(true).build(), MergeMode.SUM),
        Lstm.of("c", 2, false))));
    assertTrue(bi.getMessage().contains("layer 'c' would read the mask that 'b' (go_backwards) passes on"), bi.getMessage());
  }

  @Test
  void onlyPerStepLayersMayComeBeforeTheConsumer() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sequential("m", MASKED,
        List.of(new GlobalMaxPooling("pool"), new Dense("out", 2, Activation.LINEAR, true))));
    assertTrue(e.getMessage().contains("'pool' (global_max_pooling) comes between the masked input"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Sequential("m", MASKED, List.of(new Dense("out", 2, Activation.LINEAR, true))));
  }

  @Test
  void aMaskExcludesLengthsAndATokenMaskIsAnId() {
    assertThrows(IllegalArgumentException.class, () -> ModelInput.ofFeatures(3).withLengths().withMask(0.0));
    assertThrows(IllegalArgumentException.class, () -> ModelInput.ofTokens().withMask(0.5));
    assertThrows(IllegalArgumentException.class, () -> ModelInput.ofFeatures(3).withMask(Double.NaN));
    assertEquals(0.0, ModelInput.ofTokens().withMask(0).maskValue());
  }
}

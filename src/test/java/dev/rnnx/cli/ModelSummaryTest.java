package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code rnnx summary}'s text, pinned for the recipes with LSTM, GRU, SimpleRNN, Embedding and
 * bidirectional layers: layer types as Keras's class names, each note's heading once.
 */
class ModelSummaryTest {

  private static String summary(String recipe) {
    return ModelSummary.of(RecipeCodec.read(Path.of("models", recipe)).model());
  }

  @Test
  void stackedLstmWithItsGruComparison() {
    assertEquals("""
        Model: "stacked-lstm"
        ---------------------------------------------
        Layer (type)   Output Shape           Param #
        =============================================
        lstm (LSTM)    (None, None, 24)         2,496
        lstm_1 (LSTM)  (None, None, 16)         2,624
        lstm_2 (LSTM)  (None, 8)                  800
        dense (Dense)  (None, 1)                    9
        =============================================
        Total params: 5,929
        ---------------------------------------------
        Each LSTM as a GRU (reset_after) of the same width (3 gate blocks, one state):
          lstm: 1,944 parameters instead of 2,496
          lstm_1: 2,016 parameters instead of 2,624
          lstm_2: 624 parameters instead of 800""", summary("stacked-lstm.yaml").stripTrailing());
  }

  @Test
  void gruWithItsLstmComparison() {
    assertEquals("""
        Model: "gru-sine"
        ---------------------------------------------
        Layer (type)   Output Shape           Param #
        =============================================
        gru (GRU)      (None, None, 16)           864
        gru_1 (GRU)    (None, 16)               1,632
        dense (Dense)  (None, 1)                   17
        =============================================
        Total params: 2,513
        ---------------------------------------------
        Each GRU as an LSTM of the same width (4 gate blocks, two states):
          gru: 1,152 parameters instead of 864
          gru_1: 2,112 parameters instead of 1,632""", summary("gru-sine.yaml").stripTrailing());
  }

  @Test
  void bidirectionalCountsBothDirections() {
    assertEquals("""
        Model: "bidirectional-tagger"
        ------------------------------------------------------------------
        Layer (type)                        Output Shape           Param #
        ==================================================================
        bidirectional (Bidirectional)       (None, None, 24)         1,344
        time_distributed (TimeDistributed)  (None, None, 3)             75
        ==================================================================
        Total params: 1,419
        ------------------------------------------------------------------
        Each LSTM as a GRU (reset_after) of the same width (3 gate blocks, one state):
          bidirectional: 1,080 parameters instead of 1,344""", summary("bidirectional-tagger.yaml").stripTrailing());
  }

  @Test
  void embeddingAndSimpleRnnAsKerasNamesThem() {
    assertEquals("""
        Model: "majority-classifier"
        ----------------------------------------------------
        Layer (type)           Output Shape          Param #
        ====================================================
        embedding (Embedding)  (None, None, 8)            96
        lstm (LSTM)            (None, 24)              3,168
        dense (Dense)          (None, 3)                  75
        ====================================================
        Total params: 3,339
        ----------------------------------------------------
        Each LSTM as a GRU (reset_after) of the same width (3 gate blocks, one state):
          lstm: 2,448 parameters instead of 3,168""", summary("majority-classifier.yaml").stripTrailing());
    assertEquals("""
        Model: "binary-addition"
        ------------------------------------------------------------------
        Layer (type)                        Output Shape           Param #
        ==================================================================
        simple_rnn (SimpleRNN)              (None, None, 16)           288
        time_distributed (TimeDistributed)  (None, None, 1)             16
        ==================================================================
        Total params: 304
        ------------------------------------------------------------------""", summary("binary-addition.yaml").stripTrailing());
  }

  @Test
  void attentionNamesItsKerasClassByScore() {
    assertEquals("AdditiveAttention", new Attention("a", AttentionScore.ADDITIVE, 4, false).typeName());
    assertEquals("Attention", new Attention("a", AttentionScore.DOT, 0, false).typeName());
  }
}

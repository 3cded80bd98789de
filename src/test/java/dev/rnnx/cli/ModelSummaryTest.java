package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code rnnx summary}'s text, pinned for the recipes with LSTM, GRU and bidirectional layers. */
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
        lstm (lstm)    (None, None, 24)         2,496
        lstm_1 (lstm)  (None, None, 16)         2,624
        lstm_2 (lstm)  (None, 8)                  800
        dense (dense)  (None, 1)                    9
        =============================================
        Total params: 5,929
        ---------------------------------------------
        lstm: 2,496 parameters; a GRU (reset_after) of the same width would have 1,944 (GRU has 3 gate blocks and one state, LSTM 4 blocks and two states)
        lstm_1: 2,624 parameters; a GRU (reset_after) of the same width would have 2,016 (GRU has 3 gate blocks and one state, LSTM 4 blocks and two states)
        lstm_2: 800 parameters; a GRU (reset_after) of the same width would have 624 (GRU has 3 gate blocks and one state, LSTM 4 blocks and two states)""", summary("stacked-lstm.yaml").stripTrailing());
  }

  @Test
  void gruWithItsLstmComparison() {
    assertEquals("""
        Model: "gru-sine"
        ---------------------------------------------
        Layer (type)   Output Shape           Param #
        =============================================
        gru (gru)      (None, None, 16)           864
        gru_1 (gru)    (None, 16)               1,632
        dense (dense)  (None, 1)                   17
        =============================================
        Total params: 2,513
        ---------------------------------------------
        gru: 864 parameters; an LSTM of the same width would have 1,152 (GRU has 3 gate blocks and one state, LSTM 4 blocks and two states)
        gru_1: 1,632 parameters; an LSTM of the same width would have 2,112 (GRU has 3 gate blocks and one state, LSTM 4 blocks and two states)""", summary("gru-sine.yaml").stripTrailing());
  }

  @Test
  void bidirectionalCountsBothDirections() {
    assertEquals("""
        Model: "bidirectional-tagger"
        -------------------------------------------------------------------
        Layer (type)                         Output Shape           Param #
        ===================================================================
        bidirectional (bidirectional)        (None, None, 24)         1,344
        time_distributed (time_distributed)  (None, None, 3)             75
        ===================================================================
        Total params: 1,419
        -------------------------------------------------------------------
        bidirectional: 1,344 parameters; a GRU (reset_after) of the same width would have 1,080 (GRU has 3 gate blocks and one state, LSTM 4 blocks and two states)""", summary("bidirectional-tagger.yaml").stripTrailing());
  }
}

package dev.rnnx.spec;

/**
 * A recurrent decoder, one step per target token. Without attention:
 * {@code s_t = cell(E[y_{t−1}], s_{t−1})}, {@code log p_t = log_softmax(s_t · W_o + b_o)}. With
 * attention (Bahdanau's ordering, for every score function): the context
 * {@code c_t = Σ_j softmax_j(score(s_{t−1}, m_j)) · m_j} over the encoder memory m (padding
 * masked), {@code s_t = cell([E[y_{t−1}]; c_t], s_{t−1})},
 * {@code log p_t = log_softmax([s_t; c_t] · W_o + b_o)}. {@code s_0} is the encoder's final state.
 *
 * @param cell LSTM or GRU; must match the encoder's
 * @param units hidden size; must match the encoder's
 * @param attention the score function, or {@code null} for none
 * @param attentionUnits the additive score's hidden size (ignored by the others)
 */
public record RnnDecoder(Cell cell, int units, AttentionScore attention, int attentionUnits) implements Seq2SeqPart {

  /** Validates the fields. */
  public RnnDecoder {
    if (cell == null) {
      throw new IllegalArgumentException("decoder.cell is missing, expected lstm or gru");
    }
    if (units < 1) {
      throw new IllegalArgumentException("decoder.units is " + units + ", expected a positive integer");
    }
    if (attention == AttentionScore.ADDITIVE && attentionUnits < 1) {
      throw new IllegalArgumentException("decoder.attention_units is " + attentionUnits + ", expected a positive integer");
    }
  }

  /** Whether the decoder attends to the encoder memory. */
  public boolean attends() {
    return attention != null;
  }

  @Override
  public String kind() {
    return "rnn";
  }
}

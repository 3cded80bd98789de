package dev.rnnx.spec;

/**
 * A recurrent encoder: embedded source tokens through one LSTM or GRU (Keras semantics, reading
 * each sequence to its length). Its per-step outputs are the attention memory; its final states
 * are the decoder's initial states (the seeds' "thought vector").
 *
 * @param cell LSTM or GRU (reset_after)
 * @param units hidden size H
 */
public record RnnEncoder(Cell cell, int units) implements Seq2SeqPart {

  /** Validates the fields. */
  public RnnEncoder {
    if (cell == null) {
      throw new IllegalArgumentException("encoder.cell is missing, expected lstm or gru");
    }
    if (units < 1) {
      throw new IllegalArgumentException("encoder.units is " + units + ", expected a positive integer");
    }
  }

  @Override
  public String kind() {
    return "rnn";
  }
}

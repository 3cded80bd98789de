package dev.rnnx.spec;

import java.util.Locale;

/** A gated recurrent cell: that of a seq2seq encoder or decoder, or of an {@link Lstm} or {@link Gru} layer. */
public enum Cell {
  /** {@link Lstm}: states h and c. */
  LSTM,
  /** {@link Gru} with {@code reset_after}: state h. */
  GRU;

  /** The recipe name. */
  public String recipeName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The states the cell carries. */
  public java.util.List<String> states() {
    return this == LSTM ? java.util.List.of("h", "c") : java.util.List.of("h");
  }

  /** The gate blocks in its kernels. */
  public int gates() {
    return this == LSTM ? 4 : 3;
  }

  /**
   * The trainable scalars of one direction of this cell over {@code in} features at width
   * {@code units}, with a bias (a GRU with {@code reset_after}, an LSTM without peepholes).
   */
  public long parameterCount(int in, int units) {
    return this == LSTM ? 4L * units * (in + units + 1) : 3L * units * (in + units + 2);
  }

  /** The other gated cell. */
  public Cell other() {
    return this == LSTM ? GRU : LSTM;
  }

  /**
   * {@code rnnx summary}'s note on a layer running this cell: its parameter count beside that of
   * the other cell at the same width.
   */
  String sizeNote(String layer, long parameters, int directions, int in, int units) {
    return String.format(Locale.ROOT, "%s: %,d parameters; %s of the same width would have %,d (%s)", layer, parameters,
        other() == LSTM ? "an LSTM" : "a GRU (reset_after)", directions * other().parameterCount(in, units),
        "GRU has 3 gate blocks and one state, LSTM 4 blocks and two states");
  }

  /** Parses a recipe name. */
  public static Cell fromName(String name) {
    for (Cell c : values()) {
      if (c.recipeName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown cell '" + name + "', expected one of [lstm, gru]");
  }
}

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
   * {@code rnnx summary}'s note on a layer running this cell: the parameter count the other cell
   * would have at the same width, under a heading that all layers of this cell share.
   */
  SummaryNote sizeNote(String layer, long parameters, int directions, int in, int units) {
    String heading = this == LSTM
        ? "Each LSTM as a GRU (reset_after) of the same width (3 gate blocks, one state):"
        : "Each GRU as an LSTM of the same width (4 gate blocks, two states):";
    return new SummaryNote(heading, String.format(Locale.ROOT, "  %s: %,d parameters instead of %,d", layer,
        directions * other().parameterCount(in, units), parameters));
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

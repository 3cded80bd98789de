package dev.rnnx.spec;

import java.util.Locale;

/** The recurrent cell of a seq2seq encoder or decoder. */
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

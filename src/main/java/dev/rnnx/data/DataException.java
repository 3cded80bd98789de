package dev.rnnx.data;

/**
 * Bad input data, refused before training: the message names the file, the line (and column or
 * byte offset where there is one) and what was expected, e.g.
 * {@code co2.csv:213: column 'co2': expected a number, got 'n/a'}. The CLI exits with 2.
 */
public final class DataException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** A problem with a whole file. */
  public DataException(String message) {
    super(message);
  }

  /** A problem at one line of a file (1-based). */
  public static DataException at(String file, long line, String problem) {
    return new DataException(file + ":" + line + ": " + problem);
  }
}

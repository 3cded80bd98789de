package dev.rnnx.imports;

/**
 * A file that cannot be imported: corrupt, of an unsupported layer, op, attribute or activation,
 * code that cannot be imported (a Keras Lambda or custom layer), or weights that contradict the
 * architecture. It is bad input (the CLI's exit code 2); the message names the file and the layer or
 * node, and for an unsupported feature lists what is supported.
 */
public final class ImportException extends IllegalArgumentException {

  /** An import refusal with its one-line message. */
  public ImportException(String message) {
    super(message);
  }

  /** An import refusal caused by a lower-level failure (a corrupt HDF5 file, a truncated zip). */
  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.rnnx.onnx;

/**
 * A model refused by {@link KernelAssumptions} before any native runtime saw it: one line naming
 * the file, the node (name and op type), the input or attribute, and what was expected. An
 * {@link IllegalArgumentException}, so the CLI maps it to exit 2 (bad input).
 */
public final class KernelAssumptionException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The one-line message. */
  public KernelAssumptionException(String message) {
    super(message);
  }
}

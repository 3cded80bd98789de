package dev.rnnx.onnx;

/**
 * A model cannot be exported: a layer kind or option has no ONNX form at the requested opset, the
 * opset is outside the supported range, or the built model fails the ONNX checker.
 */
public final class OnnxExportException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An export failure described by a message that names the offending value and the valid ones. */
  public OnnxExportException(String message) {
    super(message);
  }

  /** An export failure caused by another exception, such as an {@link OnnxCheckException}. */
  public OnnxExportException(String message, Throwable cause) {
    super(message, cause);
  }
}

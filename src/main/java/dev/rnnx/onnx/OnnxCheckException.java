package dev.rnnx.onnx;

/** The ONNX checker (or its strict shape inference) rejected a model; carries the checker's own message. */
public final class OnnxCheckException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String checkerMessage;

  /**
   * @param checkerMessage the message exactly as the ONNX checker gave it
   */
  public OnnxCheckException(String checkerMessage) {
    super("ONNX checker rejected the model: " + checkerMessage);
    this.checkerMessage = checkerMessage;
  }

  /** The message exactly as the ONNX checker gave it. */
  public String checkerMessage() {
    return checkerMessage;
  }
}

package dev.rnnx.spec;

/**
 * How a recipe's model is exported.
 *
 * @param opset the ONNX default-domain opset to target
 * @param maxSequenceLength the longest sequence the exported models promise to serve
 */
public record ExportSpec(int opset, int maxSequenceLength) {

  /** The opset used when a recipe names none. */
  public static final int DEFAULT_OPSET = 17;

  /** Validates the settings. */
  public ExportSpec {
    if (opset < 1) {
      throw new IllegalArgumentException("export.opset is " + opset + ", expected a positive integer");
    }
    if (maxSequenceLength < 1) {
      throw new IllegalArgumentException("export.max_sequence_length is " + maxSequenceLength + ", expected a positive integer");
    }
  }
}

package dev.rnnx.spec;

/** Element types of model inputs and outputs. */
public enum DType {
  /** 32-bit float: features, outputs, states. */
  FLOAT32,
  /** 32-bit integer: sequence lengths (ONNX's {@code sequence_lens} type). */
  INT32,
  /** 64-bit integer: token ids. */
  INT64;

  /** Whether values of this type are held in a {@link LongTensor}. */
  public boolean isInteger() {
    return this != FLOAT32;
  }
}

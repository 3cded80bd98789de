package dev.rnnx.imports.onnx;

/** A lifted block that reads a fixed layout: time-major {@code [T, B, d]} (PyTorch's attention) or batch-major {@code [B, T, d]}. */
interface BlockLayout {

  /** Whether the block reads {@code [T, B, d]}. */
  boolean timeMajor();
}

package dev.rnnx.verify;

import java.nio.file.Path;

/**
 * A backend that runs an ONNX file and can run another one the same way (same runtime, same
 * options, same isolation). Divergence localisation uses it to run a copy of the model with
 * intermediate values exposed as extra outputs.
 */
public interface OnnxFileBackend extends Backend {

  /** The ONNX file this backend runs. */
  Path onnxFile();

  /** Whether this backend runs an ONNX file at all (a DJL backend may run a SavedModel instead). */
  default boolean hasOnnxFile() {
    return true;
  }

  /**
   * Opens the same kind of backend on another ONNX file (its inputs are the same as this one's);
   * the caller closes it. Its outputs are every graph output of that file, by name.
   */
  Backend reopen(Path otherOnnx);
}

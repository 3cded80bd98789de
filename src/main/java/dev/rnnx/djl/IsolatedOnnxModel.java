package dev.rnnx.djl;

import dev.rnnx.onnx.OnnxInterface;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.Tensor;
import dev.rnnx.verify.BackendCrashedException;
import dev.rnnx.verify.BackendKind;
import dev.rnnx.verify.BackendSpec;
import dev.rnnx.verify.ProcessBackend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model from elsewhere served by ONNX Runtime (DJL's engine, {@code djl-ort}) in a child
 * JVM, for models rnnx cannot fully validate: the file is read and checked in Java first
 * ({@link OnnxInterface#read}, which runs {@code onnx.KernelAssumptions}), every request is checked
 * against the file's input contract here, and only then does the child run it
 * ({@link ProcessBackend}, the worker {@code verify} isolates native backends with). A native abort
 * or crash kills the child, not the caller: the call throws an {@link IllegalStateException} of one
 * line naming the file and the child's exit status (the CLI's exit 3: rnnx's validation let through
 * a model the runtime cannot run), and the model stays closed to further requests. Built by
 * {@link RnnxModel.Builder#buildIsolated()}.
 */
public final class IsolatedOnnxModel implements AutoCloseable {

  private final Path file;
  private final OnnxInterface declared;
  private final ProcessBackend child;

  private IsolatedOnnxModel(Path file, OnnxInterface declared, ProcessBackend child) {
    this.file = file;
    this.declared = declared;
    this.child = child;
  }

  /**
   * Checks {@code file} in Java, then starts its child and loads it there.
   *
   * @throws IllegalArgumentException when the file is refused here or by ONNX Runtime in the child
   * @throws IllegalStateException when the child dies or hangs while loading it
   */
  static IsolatedOnnxModel open(Path file) {
    OnnxInterface declared = OnnxInterface.read(file);
    try {
      return new IsolatedOnnxModel(file, declared, ProcessBackend.start(BackendSpec.onnx(BackendKind.DJL_ORT, file),
          DjlBackends.INSTANCE));
    } catch (BackendCrashedException e) {
      throw crashed(file, e);
    }
  }

  /** The file served. */
  public Path source() {
    return file;
  }

  /** Its input names, in graph order. */
  public List<String> inputNames() {
    return declared.inputNames();
  }

  /**
   * Runs one request in the child.
   *
   * @throws IllegalArgumentException when the request does not fit the model (checked here) or ONNX
   *     Runtime refuses it
   * @throws IllegalStateException when the child dies or does not answer
   */
  public Map<String, FloatTensor> predict(Map<String, ? extends Tensor> inputs) {
    InputContract contract = declared.contract();
    contract.check(inputs);
    try {
      return child.run(inputs);
    } catch (BackendCrashedException e) {
      throw crashed(file, e);
    }
  }

  private static IllegalStateException crashed(Path file, BackendCrashedException e) {
    return new IllegalStateException(file + ": ONNX Runtime's child process ended without an answer (exit status "
        + e.exitCode() + "); the model passed rnnx's checks but the runtime cannot run it: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    child.close();
  }
}

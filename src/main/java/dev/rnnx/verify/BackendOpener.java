package dev.rnnx.verify;

/**
 * Opens the native backends ({@link BackendKind#isNative()}): implemented where the engines live
 * (TensorFlow Java, DJL, ONNX Runtime) and passed to {@link Verification} by its caller, so that
 * {@code verify} itself depends on no engine. The pure-Java kinds ({@code ref}, {@code ref-onnx})
 * are opened by {@code verify} itself.
 */
public interface BackendOpener {

  /**
   * Opens a native backend in this process; the caller closes it.
   *
   * @throws IllegalArgumentException when the artifact is missing or not of its kind
   */
  Backend open(BackendSpec spec);

  /**
   * Reads the input and output keys of a SavedModel's signature without starting TensorFlow, so
   * that a bad folder is refused before any backend runs.
   *
   * @throws IllegalArgumentException naming the folder and what is missing
   */
  SavedModelSignature signature(java.nio.file.Path savedModel, String signature);

  /**
   * The main class of a child process that serves one backend of this opener
   * ({@link BackendWorker#run(String[], BackendOpener)}), named by string so that the child
   * loads the same engines.
   */
  String workerMain();
}

package dev.rnnx.djl;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes DJL's OnnxRuntime and TensorFlow engines start offline, from the jars on the classpath,
 * with no environment variable, in one JVM and in either order.
 *
 * <p>{@link #configureForOnnx()} sets DJL's offline mode and stops DJL's OnnxRuntime engine from
 * taking the TensorFlow engine as its "alternative", so serving an ONNX model loads no
 * {@code org.tensorflow} class. {@link #configureForTensorFlow()} asks TensorFlow Java's own loader
 * for its JNI library (extracting it from the native jar into JavaCPP's cache if needed) and points
 * DJL's TensorFlow engine at that folder, so DJL never tries to download TensorFlow.
 *
 * <p>{@link DjlModel} calls these itself; call them directly only to wire the engines for other
 * DJL code. Both are idempotent and thread-safe.
 */
public final class NativeWiring {

  /** DJL's offline switch (system property; DJL also reads the {@code DJL_OFFLINE} variable). */
  public static final String DJL_OFFLINE = "ai.djl.offline";

  /**
   * Stops DJL's OnnxRuntime engine from taking another engine as its alternative (DJL 0.36 reads
   * this name; {@code ai.djl.onnxruntime.disable_alternative} has no effect).
   */
  public static final String ONNX_DISABLE_ALTERNATIVE = "ai.djl.onnx.disable_alternative";

  /**
   * Where DJL's TensorFlow engine looks for the folder holding TensorFlow Java's JNI library
   * (environment variable first, then system property).
   */
  public static final String TENSORFLOW_LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";

  private static boolean onnxConfigured;
  private static Path tensorFlowFolder;

  private NativeWiring() {}

  /**
   * Sets DJL offline and disables DJL-OnnxRuntime's alternative engine, so that serving ONNX never
   * loads TensorFlow. Idempotent.
   */
  public static synchronized void configureForOnnx() {
    if (onnxConfigured) {
      return;
    }
    System.setProperty(DJL_OFFLINE, "true");
    System.setProperty(ONNX_DISABLE_ALTERNATIVE, "true");
    onnxConfigured = true;
  }

  /**
   * Sets DJL offline and points DJL's TensorFlow engine at the folder holding TensorFlow Java's JNI
   * library (system property {@value #TENSORFLOW_LIBRARY_PATH}), extracting the library through
   * TensorFlow Java's own loader if needed. A valid {@value #TENSORFLOW_LIBRARY_PATH} set by the user
   * (environment or system property) is kept. Idempotent.
   *
   * @throws IllegalStateException if a user-set {@value #TENSORFLOW_LIBRARY_PATH} holds no JNI
   *     library, or TensorFlow Java's native library cannot be extracted or loaded
   */
  public static synchronized void configureForTensorFlow() {
    if (tensorFlowFolder != null) {
      return;
    }
    System.setProperty(DJL_OFFLINE, "true");
    String env = System.getenv(TENSORFLOW_LIBRARY_PATH);
    if (env != null) {
      tensorFlowFolder = requireLibrary(env, "environment variable");
      return;
    }
    String property = System.getProperty(TENSORFLOW_LIBRARY_PATH);
    if (property != null) {
      tensorFlowFolder = requireLibrary(property, "system property");
      return;
    }
    Path folder = TensorFlowNatives.extractAndLocate();
    System.setProperty(TENSORFLOW_LIBRARY_PATH, folder.toString());
    tensorFlowFolder = folder;
  }

  /**
   * The folder DJL's TensorFlow engine loads TensorFlow Java's JNI library from, once
   * {@link #configureForTensorFlow()} has run; {@code null} before.
   */
  public static synchronized Path tensorFlowLibraryFolder() {
    return tensorFlowFolder;
  }

  /** Checks a user-set path list the way DJL searches it: a folder holding the library, or the file. */
  private static Path requireLibrary(String pathList, String source) {
    String jni = TensorFlowNatives.JNI_FILE;
    for (String entry : pathList.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry.trim());
      if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(jni)) {
        return p.toAbsolutePath().getParent();
      }
      if (Files.isRegularFile(p.resolve(jni))) {
        return p.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        TENSORFLOW_LIBRARY_PATH + " (" + source + ") is '" + pathList + "' but no " + jni
            + " is there; unset it and rnnx finds TensorFlow Java's own library, or point it at the"
            + " folder holding " + jni);
  }
}

package dev.rnnx.djl;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.Loader;

/**
 * Finds TensorFlow Java's JNI library through TensorFlow Java's own loader (JavaCPP), which
 * extracts it from {@code tensorflow-core-native-<version>-<platform>.jar} into JavaCPP's cache
 * ({@code ~/.javacpp/cache} unless {@code org.bytedeco.javacpp.cachedir} says otherwise) on first
 * use and loads it. Nothing is downloaded: the library comes from the jar on the classpath.
 *
 * <p>Only {@link NativeWiring#configureForTensorFlow()} reaches this class: it loads
 * {@code org.tensorflow} classes and TensorFlow's native code.
 */
final class TensorFlowNatives {

  /** The platform file name of TensorFlow Java's JNI library, e.g. {@code libjnitensorflow.so}. */
  static final String JNI_FILE = System.mapLibraryName("jnitensorflow");

  private TensorFlowNatives() {}

  /**
   * Extracts (if needed) and loads the TensorFlow Java native library, and returns the folder that
   * holds {@link #JNI_FILE}.
   *
   * @throws IllegalStateException if the native jar is not on the classpath or the library cannot
   *     be extracted or loaded
   */
  static Path extractAndLocate() {
    String loaded;
    try {
      loaded = Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new IllegalStateException(
          "TensorFlow Java could not extract or load its native library " + JNI_FILE
              + " (JavaCPP cache: " + cacheDirOrUnknown() + "); is org.tensorflow:tensorflow-core-native"
              + " with this platform's classifier on the classpath?",
          e);
    }
    Path folder = folderHolding(loaded);
    if (folder == null) {
      for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
        folder = folderHolding(e.getValue());
        if (folder != null) {
          break;
        }
      }
    }
    if (folder == null) {
      throw new IllegalStateException(
          "TensorFlow Java loaded its native library (" + loaded + ") but no folder holding " + JNI_FILE
              + " was found; JavaCPP cache: " + cacheDirOrUnknown());
    }
    return folder;
  }

  /** The folder of {@code path} if {@code path} is the JNI library file itself. */
  private static Path folderHolding(String path) {
    if (path == null) {
      return null;
    }
    Path p = Path.of(path);
    if (JNI_FILE.equals(String.valueOf(p.getFileName())) && Files.isRegularFile(p)) {
      return p.toAbsolutePath().getParent();
    }
    return null;
  }

  private static String cacheDirOrUnknown() {
    try {
      File dir = Loader.getCacheDir();
      return dir == null ? "unknown" : dir.toString();
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}

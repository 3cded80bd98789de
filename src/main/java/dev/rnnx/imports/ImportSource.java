package dev.rnnx.imports;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an imported model came from, as its run folder's provenance records it.
 *
 * @param file the file that was read (the main file when a format has several)
 * @param sha256 the file's SHA-256, lowercase hex
 * @param format the format read, for example {@code keras-h5}, {@code keras-v3}, {@code keras-weights-h5}
 *     or {@code onnx}
 * @param framework the framework the file says wrote it (for example {@code keras}, {@code pytorch},
 *     {@code tf2onnx}, {@code rnnx}), or {@code unknown}
 * @param frameworkVersion the version the file records, or {@code unknown}
 */
public record ImportSource(Path file, String sha256, String format, String framework, String frameworkVersion) {

  /** Checks that every part is present. */
  public ImportSource {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(format, "format");
    framework = framework == null || framework.isBlank() ? "unknown" : framework;
    frameworkVersion = frameworkVersion == null || frameworkVersion.isBlank() ? "unknown" : frameworkVersion;
  }
}

package dev.rnnx.imports;

import dev.rnnx.imports.keras.KerasImporter;
import dev.rnnx.imports.onnx.OnnxImporter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one place that picks an importer for a file: the Keras importer ({@code .h5}, {@code .hdf5},
 * {@code .keras}) and the ONNX importer ({@code .onnx}). {@code rnnx import} and the
 * Java API read every foreign file through {@link #read}.
 */
public final class ModelImports {

  private ModelImports() {}

  /**
   * The importers, in the order they are asked.
   *
   * @param kerasConfig the config JSON of a Keras weights-only file, or null
   */
  public static List<ModelImporter> importers(Path kerasConfig) {
    List<ModelImporter> all = new ArrayList<>();
    all.add(new KerasImporter(kerasConfig));
    all.add(new OnnxImporter());
    return all;
  }

  /** Reads {@code file} with the first importer that accepts it. */
  public static ImportedModel read(Path file) {
    return read(file, null);
  }

  /**
   * Reads {@code file} (a Keras weights-only file with its config JSON {@code kerasConfig}).
   *
   * @throws ImportException when no importer reads files of its kind, or the importer refuses it
   */
  public static ImportedModel read(Path file, Path kerasConfig) {
    List<ModelImporter> importers = importers(kerasConfig);
    for (ModelImporter importer : importers) {
      if (importer.accepts(file)) {
        return importer.read(file);
      }
    }
    throw new ImportException(file + ": rnnx imports Keras files (.h5, .hdf5, .keras, .weights.h5) and ONNX files (.onnx),"
        + " got a file of another kind");
  }

  /**
   * The SHA-256 of a file, lowercase hex.
   *
   * @throws ImportException when the file cannot be read
   */
  public static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new ImportException(file + ": cannot be read (" + e.getMessage() + ")");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}

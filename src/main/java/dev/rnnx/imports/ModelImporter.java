package dev.rnnx.imports;

import java.nio.file.Path;

/** Reads one family of foreign model files into an {@link ImportedModel}. */
public interface ModelImporter {

  /** Whether this importer reads {@code file} (by its name and, where cheap, its first bytes). */
  boolean accepts(Path file);

  /**
   * Reads {@code file}.
   *
   * @throws ImportException when the file cannot be imported, with a message naming the file and the
   *     layer or node
   */
  ImportedModel read(Path file);
}

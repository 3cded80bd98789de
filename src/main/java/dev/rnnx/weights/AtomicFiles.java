package dev.rnnx.weights;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes artifacts so that a reader never sees half of one: into a temporary sibling first, then
 * moved into place. Used for every file and folder rnnx produces.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Writes bytes to {@code file} through a temporary sibling. */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      move(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes text (UTF-8) to {@code file} through a temporary sibling. */
  public static void writeString(Path file, String text) throws IOException {
    write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A fresh temporary folder beside {@code target}, for building a folder artifact. */
  public static Path tempSibling(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    return Files.createTempDirectory(dir, "." + target.getFileName() + ".");
  }

  /** Replaces {@code target} (file or folder) by {@code source}, atomically where the file system allows. */
  public static void move(Path source, Path target) throws IOException {
    if (Files.isDirectory(target)) {
      deleteTree(target);
    }
    try {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Deletes a file or folder tree if it exists. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

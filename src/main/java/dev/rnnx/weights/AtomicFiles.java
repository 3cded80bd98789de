package dev.rnnx.weights;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.nio.file.LinkOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes artifacts so that a reader never sees half of one: into a temporary sibling first, then
 * moved into place. Used for every file and folder rnnx produces. The temporary siblings are
 * created as any new file is, so an artifact gets the mode the process umask gives (0644 and 0755
 * under umask 022), not the owner-only mode of {@link Files#createTempFile}.
 *
 * <p>Every temporary name starts with {@value #TEMP_PREFIX}. A process killed between writing a
 * temporary and moving it (kill -9, power loss) leaves it behind; {@link #removeStale} deletes such
 * leftovers, and every rnnx command that writes into a folder calls it on that folder before it
 * starts, so no temporary survives the next command on the folder. A folder is written by one rnnx
 * command at a time.
 */
public final class AtomicFiles {

  /** The prefix of every temporary file and folder name rnnx creates (hidden, and never an artifact's name). */
  public static final String TEMP_PREFIX = ".rnnx-tmp-";

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** Writes bytes to {@code file} through a temporary sibling. */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = tempFile(file);
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

  /**
   * A fresh empty file beside {@code target} (a hidden name starting with {@value #TEMP_PREFIX} that no other call gets), with the
   * mode the umask gives a new file, for writing a file artifact before {@link #move}.
   */
  public static Path tempFile(Path target) throws IOException {
    return fresh(target, ".tmp", p -> Files.createFile(p));
  }

  /** A fresh temporary folder beside {@code target} (named {@value #TEMP_PREFIX}...), with the mode the umask gives a new folder, for building a folder artifact. */
  public static Path tempSibling(Path target) throws IOException {
    return fresh(target, "", p -> Files.createDirectory(p));
  }

  private interface Create {
    Path at(Path p) throws IOException;
  }

  /** Creates a hidden sibling of {@code target} under a random name no one else holds (no attributes: the umask decides the mode). */
  private static Path fresh(Path target, String suffix, Create create) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    while (true) {
      try {
        return create.at(dir.resolve(TEMP_PREFIX + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix));
      } catch (FileAlreadyExistsException e) {
        // another name
      }
    }
  }

  /**
   * Deletes the temporaries a killed process left in {@code dir}: every file or folder whose name
   * starts with {@value #TEMP_PREFIX}, in {@code dir} and in its subfolders down to {@code depth}
   * levels ({@code 1}: {@code dir}'s own entries only). Nothing else is touched; a missing folder
   * has none.
   *
   * @return how many were deleted
   * @throws IOException when one cannot be deleted
   */
  public static int removeStale(Path dir, int depth) throws IOException {
    if (depth < 1 || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    int removed = 0;
    List<Path> entries;
    try (Stream<Path> list = Files.list(dir)) {
      entries = list.sorted().toList();
    }
    for (Path p : entries) {
      if (p.getFileName().toString().startsWith(TEMP_PREFIX)) {
        deleteTree(p);
        removed++;
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        removed += removeStale(p, depth - 1);
      }
    }
    return removed;
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

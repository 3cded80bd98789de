package dev.rnnx.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The files of a run folder ({@code weights.safetensors}, {@code vocabulary.json}, {@code *.onnx},
 * {@code saved_model/}) are read only when they are regular files: a link is followed only to a
 * regular file (or, for a folder, a folder), and a file's size is checked before it is read whole.
 * A FIFO or a link to {@code /dev/zero} is refused with one line naming it, instead of hanging or
 * running out of memory.
 */
public final class RunFiles {

  /** The most bytes read whole into one array (Java's array limit). */
  public static final long MAX_WHOLE_FILE = Integer.MAX_VALUE - 8;

  private RunFiles() {}

  /**
   * Requires a regular file (a link is followed, to a regular file only).
   *
   * @param expected what the file should be, for the message ("a safetensors weights file")
   * @throws IllegalArgumentException naming the file and what was expected otherwise
   */
  public static void requireRegular(Path file, String expected) {
    BasicFileAttributes a = attributes(file, expected);
    if (!a.isRegularFile()) {
      throw new IllegalArgumentException(file + ": is " + kind(file, a) + ", expected " + expected + " (a regular file)");
    }
  }

  /**
   * Reads a regular file whole, after checking its size against {@link #MAX_WHOLE_FILE} and the
   * heap this JVM may still grow to.
   *
   * @throws IllegalArgumentException when it is missing, not a regular file or too large
   */
  public static byte[] readAll(Path file, String expected) {
    requireRegular(file, expected);
    try {
      long size = Files.size(file);
      Runtime rt = Runtime.getRuntime();
      long heap = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
      if (size > MAX_WHOLE_FILE || size > heap) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: is %,d bytes, more than %s can read"
            + " (%,d bytes of heap left; raise it with RNNX_JAVA_OPTS=-Xmx...), expected %s", file, size,
            size > MAX_WHOLE_FILE ? "one Java array" : "this JVM's heap", heap, expected));
      }
      try (InputStream in = Files.newInputStream(file)) {
        byte[] bytes = in.readNBytes((int) size + 1);
        if (bytes.length > size) {
          throw new IllegalArgumentException(file + ": grew while it was read, expected " + expected);
        }
        return bytes;
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": file does not exist, expected " + expected);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + "), expected " + expected);
    }
  }

  /**
   * Checks the files a run folder's readers open: {@code weights.safetensors} (required),
   * {@code vocabulary.json} and every {@code *.onnx} beside it (where present), and everything
   * under {@code saved_model/} (folders and regular files only, links followed to those only).
   *
   * @throws IllegalArgumentException naming the first file that is not what it should be
   */
  public static void checkRunFolder(Path dir) {
    requireRegular(dir.resolve("weights.safetensors"), "a safetensors weights file");
    Path vocabulary = dir.resolve("vocabulary.json");
    if (Files.exists(vocabulary, LinkOption.NOFOLLOW_LINKS)) {
      requireRegular(vocabulary, "the vocabulary of a seq2seq or word2vec run");
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : (Iterable<Path>) list.sorted()::iterator) {
        if (p.getFileName().toString().endsWith(".onnx")) {
          requireRegular(p, "an ONNX model");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("run folder " + dir + " cannot be listed (" + e.getMessage() + ")");
    }
    Path saved = dir.resolve("saved_model");
    if (Files.exists(saved, LinkOption.NOFOLLOW_LINKS)) {
      checkTree(saved, 4);
    }
  }

  /** Folders and regular files only, down to {@code depth} levels, links followed. */
  private static void checkTree(Path dir, int depth) {
    BasicFileAttributes a = attributes(dir, "a SavedModel folder");
    if (!a.isDirectory()) {
      throw new IllegalArgumentException(dir + ": is " + kind(dir, a) + ", expected a SavedModel folder");
    }
    if (depth == 0) {
      return;
    }
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : (Iterable<Path>) list.sorted()::iterator) {
        BasicFileAttributes pa = attributes(p, "a file of a SavedModel");
        if (pa.isDirectory()) {
          checkTree(p, depth - 1);
        } else if (!pa.isRegularFile()) {
          throw new IllegalArgumentException(p + ": is " + kind(p, pa) + ", expected a file of a SavedModel (a regular file)");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(dir + ": cannot be listed (" + e.getMessage() + ")");
    }
  }

  private static BasicFileAttributes attributes(Path file, String expected) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      boolean dangling = Files.isSymbolicLink(file);
      throw new IllegalArgumentException(file + ": " + (dangling ? "is a link to nothing" : "file does not exist")
          + ", expected " + expected);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + "), expected " + expected);
    }
  }

  /** What a path that is not a regular file is, in words ("a FIFO", "a link to a device"). */
  private static String kind(Path file, BasicFileAttributes followed) {
    String what;
    if (followed.isDirectory()) {
      what = "a folder";
    } else if (followed.isRegularFile()) {
      what = "a regular file";
    } else {
      what = special(file);
    }
    return Files.isSymbolicLink(file) ? "a link to " + what : what;
  }

  /** A FIFO, socket or device, as far as the platform tells. */
  private static String special(Path file) {
    try {
      Object mode = Files.getAttribute(file, "unix:mode");
      if (mode instanceof Integer m) {
        return switch (m & 0170000) {
          case 0010000 -> "a FIFO";
          case 0020000 -> "a character device";
          case 0060000 -> "a block device";
          case 0140000 -> "a socket";
          default -> "a special file";
        };
      }
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // no unix view: say only what it is not
    }
    return "a special file";
  }
}

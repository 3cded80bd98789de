package dev.rnnx.tensorio;

import dev.rnnx.spec.Budget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one gate before a tensor file is read whole: it must be a regular file (a link to
 * {@code /dev/zero}, a FIFO or a folder is refused, never read) no larger than
 * {@link Budget#TENSOR_FILE_BYTES}.
 */
final class TensorFileBytes {

  private TensorFileBytes() {}

  /**
   * Checks the file's kind and size without reading it.
   *
   * @throws IllegalArgumentException naming the file when it is not a regular file
   * @throws dev.rnnx.spec.BudgetException when it is over the byte limit
   */
  static void check(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("tensor file " + file + (Files.exists(file)
          ? " is not a regular file (a device, FIFO or folder), expected a .json, .npy or .pb file"
          : " does not exist, expected a .json, .npy or .pb file"));
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("tensor file " + file + " cannot be read (" + e.getMessage() + ")");
    }
    Budget.TENSOR_FILE_BYTES.check("tensor file " + file, size);
  }

  /** Reads the file whole after {@link #check}. */
  static byte[] read(Path file) {
    check(file);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("tensor file " + file + " cannot be read (" + e.getMessage() + ")");
    }
  }
}

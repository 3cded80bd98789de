package dev.rnnx.tensorio;

import dev.rnnx.spec.Budget;
import dev.rnnx.spec.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy's {@code .npz} archives ({@code np.savez}, {@code np.savez_compressed}): a zip of
 * {@code <name>.npy} entries, each read by {@link Npy}. The archive must be a regular file; the
 * entries' sizes, from the zip's central directory, are checked against
 * {@link Budget#TENSOR_FILE_BYTES} in sum before any entry is read, and each entry is read no further
 * than its declared size.
 */
public final class Npz {

  private Npz() {}

  /**
   * Every array of an archive by name (the entry name without {@code .npy}), in the archive's order.
   *
   * @throws IllegalArgumentException naming the file (and the entry) when it is not a readable
   *     archive of {@code .npy} entries
   * @throws dev.rnnx.spec.BudgetException when its arrays are over the byte limit
   */
  public static Map<String, Tensor> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + (Files.exists(file) ? ": is not a regular file" : ": does not exist")
          + ", expected a .npz archive (np.savez)");
    }
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      long total = 0;
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
        ZipEntry entry = e.nextElement();
        if (entry.getSize() < 0) {
          throw new IllegalArgumentException(file + ": entry '" + entry.getName() + "' declares no size, expected a .npz archive"
              + " as np.savez writes it");
        }
        total = Budget.plus(total, entry.getSize());
      }
      Budget.TENSOR_FILE_BYTES.check("arrays of " + file, total);
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
        ZipEntry entry = e.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        if (!name.endsWith(".npy")) {
          throw new IllegalArgumentException(file + ": entry '" + name + "' is not a .npy array, expected <name>.npy entries");
        }
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readNBytes(Math.toIntExact(entry.getSize()));
          if (in.read() >= 0) {
            throw new IllegalArgumentException(file + ": entry '" + name + "' holds more than the " + entry.getSize()
                + " bytes it declares");
          }
        }
        String key = name.substring(0, name.length() - 4);
        arrays.put(key, Npy.read(bytes, file + ": array '" + key + "'"));
      }
    } catch (ZipException x) {
      throw new IllegalArgumentException(file + ": is not a readable .npz (zip) archive (" + x.getMessage() + ")");
    } catch (IOException x) {
      throw new IllegalArgumentException(file + ": cannot be read (" + x.getMessage() + ")");
    } catch (ArithmeticException x) {
      throw new IllegalArgumentException(file + ": an entry declares more than 2 GiB, expected smaller arrays");
    }
    if (arrays.isEmpty()) {
      throw new IllegalArgumentException(file + ": holds no arrays, expected one .npy entry per input and output");
    }
    return arrays;
  }
}

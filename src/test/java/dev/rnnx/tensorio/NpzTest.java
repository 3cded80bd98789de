package dev.rnnx.tensorio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Budget;
import dev.rnnx.spec.BudgetException;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Npz}: np.savez archives read by name in order; bad archives refused naming the file and the entry. */
class NpzTest {

  @Test
  void arraysComeBackByNameInTheArchivesOrder(@TempDir Path dir) throws Exception {
    Map<String, Tensor> arrays = new LinkedHashMap<>();
    arrays.put("x", FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    arrays.put("ids", LongTensor.of(new long[] {7, -1}, 2));
    Map<String, Tensor> back = Npz.read(NpzFiles.write(dir.resolve("a.npz"), arrays));
    assertEquals(List.of("x", "ids"), List.copyOf(back.keySet()));
    assertEquals(arrays.get("x"), back.get("x"));
    assertEquals(arrays.get("ids"), back.get("ids"));
  }

  @Test
  void badArchivesAreRefusedNamingTheFileAndTheEntry(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("none.npz");
    assertEquals(missing + ": does not exist, expected a .npz archive (np.savez)",
        assertThrows(IllegalArgumentException.class, () -> Npz.read(missing)).getMessage());
    Path text = dir.resolve("text.npz");
    Files.writeString(text, "not a zip");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Npz.read(text)).getMessage()
        .startsWith(text + ": is not a readable .npz (zip) archive"));
    Path other = dir.resolve("other.npz");
    try (OutputStream out = Files.newOutputStream(other); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("notes.txt"));
      zip.write(new byte[] {1, 2});
      zip.closeEntry();
    }
    assertEquals(other + ": entry 'notes.txt' is not a .npy array, expected <name>.npy entries",
        assertThrows(IllegalArgumentException.class, () -> Npz.read(other)).getMessage());
    Path bad = dir.resolve("bad.npz");
    try (OutputStream out = Files.newOutputStream(bad); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("x.npy"));
      zip.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
      zip.closeEntry();
    }
    assertEquals(bad + ": array 'x': is not a .npy file (no \\x93NUMPY magic)",
        assertThrows(IllegalArgumentException.class, () -> Npz.read(bad)).getMessage());
  }

  @Test
  void anArchiveOverTheByteBudgetIsRefusedBeforeItsArraysAreRead(@TempDir Path dir) throws Exception {
    Path file = NpzFiles.write(dir.resolve("big.npz"), Map.of("x", FloatTensor.zeros(64, 64)));
    System.setProperty(Budget.TENSOR_FILE_BYTES.property(), "1000");
    try {
      BudgetException e = assertThrows(BudgetException.class, () -> Npz.read(file));
      assertEquals(Budget.TENSOR_FILE_BYTES, e.budget());
      assertTrue(e.getMessage().startsWith("arrays of " + file), e.getMessage());
    } finally {
      System.clearProperty(Budget.TENSOR_FILE_BYTES.property());
    }
  }
}

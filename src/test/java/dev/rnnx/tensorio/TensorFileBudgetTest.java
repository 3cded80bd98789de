package dev.rnnx.tensorio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rnnx.spec.Budget;
import dev.rnnx.spec.BudgetException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensor files are checked for kind and size before they are read whole. */
class TensorFileBudgetTest {

  @TempDir
  Path dir;

  private Path sparse(String name, long bytes) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes);
    }
    return file;
  }

  @Test
  void aFileOverTheByteLimitIsRefusedBeforeItIsRead() throws IOException {
    long over = Budget.TENSOR_FILE_BYTES.defaultLimit() + 1;
    for (String name : new String[] {"x.npy", "input_0.pb", "in.json"}) {
      Path file = sparse(name, over);
      BudgetException e = assertThrows(BudgetException.class, () -> InputFiles.readFile(file));
      assertEquals("tensor file " + file + ": 1,073,741,825 bytes, over the limit of 1,073,741,824"
          + " (raise it with -Drnnx.budget.tensor-file-bytes=N, e.g. in RNNX_JAVA_OPTS)", e.getMessage());
    }
    Path pb = dir.resolve("input_0.pb");
    assertEquals(Budget.TENSOR_FILE_BYTES, assertThrows(BudgetException.class, () -> TensorProtoCodec.read(pb)).budget());
    Path npy = dir.resolve("x.npy");
    assertEquals(Budget.TENSOR_FILE_BYTES, assertThrows(BudgetException.class, () -> Npy.read(npy)).budget());
  }

  @Test
  void aLimitRaisedByItsPropertyLetsALargerFileThrough() throws IOException {
    Path file = sparse("z.npy", 2000);
    System.setProperty(Budget.TENSOR_FILE_BYTES.property(), "1000");
    try {
      assertEquals("tensor file " + file + ": 2,000 bytes, over the limit of 1,000"
          + " (raise it with -Drnnx.budget.tensor-file-bytes=N, e.g. in RNNX_JAVA_OPTS)",
          assertThrows(BudgetException.class, () -> Npy.read(file)).getMessage());
      System.setProperty(Budget.TENSOR_FILE_BYTES.property(), "3000");
      // past the budget, the file is read and refused for what it holds (zeros, no magic)
      assertEquals(file + ": is not a .npy file (no \\x93NUMPY magic)",
          assertThrows(IllegalArgumentException.class, () -> Npy.read(file)).getMessage());
    } finally {
      System.clearProperty(Budget.TENSOR_FILE_BYTES.property());
    }
  }

  @Test
  void aLinkToDevZeroIsRefusedNotRead() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("zero.npy"), Path.of("/dev/zero"));
    assertEquals("tensor file " + link + " is not a regular file (a device, FIFO or folder), expected a .json, .npy or .pb file",
        assertThrows(IllegalArgumentException.class, () -> Npy.read(link)).getMessage());
    Path pb = Files.createSymbolicLink(dir.resolve("zero.pb"), Path.of("/dev/zero"));
    assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.read(pb));
  }

  @Test
  void aFifoIsRefusedWithoutHanging() throws Exception {
    // mkfifo is part of coreutils; this machine has it (the test fails rather than skips without it)
    for (String name : new String[] {"fifo.npy", "fifo.pb", "fifo.json"}) {
      Path fifo = dir.resolve(name);
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
      assertEquals(0, p.waitFor());
      IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> assertThrows(IllegalArgumentException.class, () -> TensorFileBytes.read(fifo)));
      assertEquals("tensor file " + fifo + " is not a regular file (a device, FIFO or folder), expected a .json, .npy or .pb file",
          e.getMessage());
    }
    Path fifo = dir.resolve("fifo.pb");
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(IllegalArgumentException.class, () -> TensorProtoCodec.read(fifo)));
  }
}

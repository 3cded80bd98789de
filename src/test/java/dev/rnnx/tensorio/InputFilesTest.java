package dev.rnnx.tensorio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User inputs: NumPy's .npy bytes as NumPy writes them, JSON in both forms, and clear refusals. */
public class InputFilesTest {

  /** A version-1 .npy file as {@code np.save} writes it (header padded to a multiple of 64). */
  public static byte[] npy(String descr, long[] shape, byte[] data) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
    String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
    int total = 10 + header.length() + 1;
    header = header + " ".repeat((64 - total % 64) % 64) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  @Test
  void npyFoldersAndJsonFilesAreCases(@TempDir Path dir) throws Exception {
    Path npyCase = dir.resolve("a_npy");
    Files.createDirectories(npyCase);
    ByteBuffer f = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 6; i++) {
      f.putFloat(i * 0.5f);
    }
    Files.write(npyCase.resolve("input.npy"), npy("<f4", new long[] {1, 3, 2}, f.array()));
    ByteBuffer l = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(3);
    Files.write(npyCase.resolve("lengths.npy"), npy("<i4", new long[] {1}, l.array()));
    Files.writeString(dir.resolve("b.json"), """
        {"input": [[[0.0, 0.5], [1, 2e-1], [-1, 3]]], "lengths": [3]}
        """);
    List<InputCase> cases = InputFiles.read(dir);
    assertEquals(List.of("a_npy", "b"), cases.stream().map(InputCase::name).toList());
    FloatTensor x = (FloatTensor) cases.get(0).inputs().get("input");
    assertArrayEquals(new long[] {1, 3, 2}, x.shape());
    assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 2, 2.5f}, x.data());
    assertEquals(new LongTensor(new long[] {1}, new long[] {3}), cases.get(0).inputs().get("lengths"));
    FloatTensor j = (FloatTensor) cases.get(1).inputs().get("input");
    assertArrayEquals(new float[] {0, 0.5f, 1, 0.2f, -1, 3}, j.data(), "one fraction makes the whole tensor float");
    assertEquals(new LongTensor(new long[] {1}, new long[] {3}), cases.get(1).inputs().get("lengths"));
  }

  @Test
  void badFilesAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path c = dir.resolve("c");
    Files.createDirectories(c);
    byte[] good = npy("<f8", new long[] {2, 2}, new byte[32]);
    Files.write(c.resolve("input.npy"), java.util.Arrays.copyOf(good, good.length - 3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputFiles.read(dir));
    assertTrue(e.getMessage().contains("input.npy") && e.getMessage().contains("truncated"), e.getMessage());
    Files.delete(c.resolve("input.npy"));
    Files.writeString(dir.resolve("r.json"), "{\"input\": [[1, 2], [3]]}");
    e = assertThrows(IllegalArgumentException.class, () -> InputFiles.read(dir));
    assertTrue(e.getMessage().contains("r.json") && e.getMessage().contains("ragged"), e.getMessage());
    Files.writeString(dir.resolve("r.json"), "{\"input\": [1, 2");
    e = assertThrows(IllegalArgumentException.class, () -> InputFiles.read(dir));
    assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
    Files.delete(dir.resolve("r.json"));
    e = assertThrows(IllegalArgumentException.class, () -> InputFiles.read(dir));
    assertTrue(e.getMessage().contains("holds no inputs"), e.getMessage());
  }
}

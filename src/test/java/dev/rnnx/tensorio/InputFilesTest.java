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
    return npy("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }", data);
  }

  /** A version-1 .npy file with this header dictionary (padded as {@code np.save} pads it). */
  public static byte[] npy(String header, byte[] data) {
    String padded = header + " ".repeat((64 - (11 + header.length()) % 64) % 64) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) padded.length()).array());
    out.writeBytes(padded.getBytes(StandardCharsets.ISO_8859_1));
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

  /** The one-line refusal of an input file with this content. */
  private static String refusal(Path file, byte[] content) throws Exception {
    Files.write(file, content);
    return assertThrows(IllegalArgumentException.class, () -> InputFiles.readFile(file)).getMessage();
  }

  private static String refusal(Path file, String json) throws Exception {
    return refusal(file, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void jsonIsReadStrictly(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.json");
    assertEquals(f + ": is not valid JSON: duplicate key 'input' at line 1, column 25, expected each key once",
        refusal(f, "{\"input\": [1.0], \"input\": [2.0]}"));
    assertEquals(f + ": is not valid JSON: duplicate key 'shape' at line 1, column 31, expected each key once",
        refusal(f, "{\"ids\": {\"shape\": [1], \"shape\": [1], \"data\": [3]}}"));
    assertEquals(f + ": is not valid JSON: content after the root value at line 2, column 1, expected the end of the file",
        refusal(f, "{\"input\": [1.0]}\n{\"input\": [2.0]}"));
    assertEquals(f + ": is not valid JSON: the file is empty, expected a JSON value", refusal(f, ""));
    Path ids = dir.resolve("ids.json"); // README.md's example
    assertEquals(ids + ": is not valid JSON: duplicate key 'ids' at line 1, column 19, expected each key once",
        refusal(ids, "{\"ids\": [1], \"ids\": [2]}"));
  }

  @Test
  void integersOutOfRangeAreRefusedNeverWrapped(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("ids.json");
    // 2^64 + 3 would wrap to 3
    assertEquals(f + ": input 'ids': value 18446744073709551619 at flat index 1 is out of range, expected int64"
        + " (-9223372036854775808 to 9223372036854775807)", refusal(f, "{\"ids\": [[4, 18446744073709551619]]}"));
    assertEquals(f + ": input 'lengths': value 2147483648 at flat index 0 is out of range, expected int32"
        + " (-2147483648 to 2147483647)",
        refusal(f, "{\"lengths\": {\"shape\": [1], \"data\": [2147483648], \"dtype\": \"int32\"}}"));
    assertEquals(f + ": input 'ids': value 1000.0 (a fraction or an exponent) at flat index 0 is not an integer, expected an"
        + " integer literal for int64",
        refusal(f, "{\"ids\": {\"shape\": [1], \"data\": [1e3], \"dtype\": \"int64\"}}"));
    assertEquals(f + ": input 'ids': dtype 'int128' is not supported, expected one of [float16, float32, float64] or"
        + " [int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool]",
        refusal(f, "{\"ids\": {\"shape\": [1], \"data\": [1], \"dtype\": \"int128\"}}"));
    LongTensor ok = (LongTensor) InputFiles.readFile(Files.writeString(f,
        "{\"ids\": {\"shape\": [2], \"data\": [2147483647, -2147483648], \"dtype\": \"int32\"}}")).get("ids");
    assertArrayEquals(new long[] {Integer.MAX_VALUE, Integer.MIN_VALUE}, ok.data());
  }

  @Test
  void floatsBeyondFloat32AreRefusedAsNonFinite(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.json");
    assertEquals(f + ": input 'input': value 1.0E39 at flat index 1 is not finite as float32, expected a magnitude of"
        + " at most 3.4028235E38", refusal(f, "{\"input\": [[0.5, 1e39]]}"));
    assertEquals(f + ": input 'input': value -Infinity at flat index 0 is not finite as float32, expected a magnitude"
        + " of at most 3.4028235E38", refusal(f, "{\"input\": [-1e400, 0.5]}"));
  }

  @Test
  void jsonShapesAreCheckedBeforeUse(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.json");
    // 2^32 * 2^32 wraps to 0 elements, which an empty data list would match
    assertEquals(f + ": input 'x': shape [4294967296, 4294967296, 1] has more than 2147483647 elements, expected at"
        + " most 2147483647", refusal(f, "{\"x\": {\"shape\": [4294967296, 4294967296, 1], \"data\": []}}"));
    assertEquals(f + ": input 'x': shape [-1,-1] has dimension -1, expected a non-negative integer literal",
        refusal(f, "{\"x\": {\"shape\": [-1, -1], \"data\": [1.0]}}"));
    assertEquals(f + ": input 'x': shape [1000.0] has dimension 1000.0 (a fraction or an exponent), expected a"
        + " non-negative integer literal",
        refusal(f, "{\"x\": {\"shape\": [1e3], \"data\": [1.0]}}"));
  }

  @Test
  void npyShapesAreCheckedBeforeAllocating(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.npy");
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1e3,), }";
    assertEquals(f + ": .npy shape (1e3,) has dimension '1e3', expected non-negative integers of at most 18 digits",
        refusal(f, npy(header, new byte[4])));
    // 2^32 * 2^32 elements wrap to 0, which the 0 data bytes would match: the product is refused, not wrapped
    assertEquals(f + ": shape [4294967296, 4294967296] has more than 2147483647 elements, expected at most 2147483647",
        refusal(f, npy("<f4", new long[] {1L << 32, 1L << 32}, new byte[0])));
    assertEquals(f + ": holds 8 data bytes, but shape [1000000000] of <f8 needs 8000000000 (truncated?)",
        refusal(f, npy("<f8", new long[] {1_000_000_000}, new byte[8])));
  }

  @Test
  void pbDimensionsAreCheckedBeforeAllocating(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("input_0.pb");
    var proto = ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("x").setDataType(1)
        .addDims(1L << 32).addDims(1L << 32).addDims(3).build();
    assertEquals("file " + f + ": tensor 'x': shape [4294967296, 4294967296, 3] has more than 2147483647 elements,"
        + " expected at most 2147483647", refusal(f, proto.toByteArray()));
  }
}

package dev.rnnx.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  private static Weights sample() {
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("lstm/kernel", FloatTensor.of(new float[] {1.5f, -2f, 3.25f, Float.MIN_VALUE, 0f, -0f, 7f, 8f}, 2, 4));
    m.put("dense/bias", FloatTensor.of(new float[] {0.125f}, 1));
    return new Weights(m);
  }

  @Test
  void roundTripsTensorsOrderAndMetadata(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("w.safetensors");
    Safetensors.write(file, sample(), Map.of("rnnx.seed", "42"));
    Safetensors.Contents back = Safetensors.read(file);
    assertEquals(sample(), back.weights());
    assertEquals(sample().names(), back.weights().names());
    assertEquals("42", back.metadata().get("rnnx.seed"));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void layoutFollowsTheSpecification() {
    byte[] bytes = Safetensors.encode(sample(), Map.of());
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = buf.getLong();
    assertEquals(0, (8 + headerLength) % 8, "data section is 8-byte aligned");
    String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"lstm/kernel\":{\"dtype\":\"F32\",\"shape\":[2,4],\"data_offsets\":[0,32]}"), header);
    assertEquals(1.5f, buf.getFloat((int) (8 + headerLength)));
  }

  @Test
  void truncatedAndForeignFilesGetClearErrors(@TempDir Path dir) throws Exception {
    byte[] bytes = Safetensors.encode(sample(), Map.of());
    Path truncated = dir.resolve("t.safetensors");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(truncated));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Path text = dir.resolve("x.safetensors");
    Files.writeString(text, "hello world, not tensors");
    e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(text));
    assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(dir.resolve("none")));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void aHeaderWithAKeyGivenTwiceIsRefused() {
    String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h).putFloat(1f);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.decode(buf.array(), "w.safetensors"));
    assertEquals("w.safetensors: header is not valid JSON: duplicate key 'a' at line 1, column 58, expected each key once",
        e.getMessage());
  }

  @Test
  void provenanceRoundTripsThroughMetadata() {
    Provenance p = new Provenance("sine-lstm", "name: sine-lstm\n", 42,
        Map.of("tensorflow", "1.1.0", "rnnx", "0.1.0"), Map.of("final_loss", 0.00123, "val_mse", 0.0045));
    Map<String, String> m = p.toMetadata();
    assertEquals("1.1.0", m.get("rnnx.version.tensorflow"));
    assertEquals(p, Provenance.fromMetadata(m));
    assertThrows(IllegalArgumentException.class, () -> Provenance.fromMetadata(Map.of("other", "x")));
  }

  @Test
  void versionsComeFromMavenMetadata() {
    assertEquals("1.1.0", Provenance.libraryVersions().get("tensorflow"));
    assertEquals("1.28.0", Provenance.libraryVersions().get("onnxruntime"));
    assertEquals("0.36.0", Provenance.libraryVersions().get("djl"));
    assertTrue(Provenance.libraryVersions().get("rnnx").matches("\\d+\\.\\d+\\.\\d+.*"));
  }
}

package dev.rnnx.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.rnnx.spec.StrictParsing;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rnnx.spec.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets}, an optional
 * {@code __metadata__} string map, then the raw little-endian data. rnnx writes F32 only.
 */
public final class Safetensors {

  /** Strict: a header with a key given twice, or with content after the object, is refused. */
  private static final ObjectMapper JSON = StrictParsing.configure(JsonMapper.builder()).build();
  private static final long MAX_HEADER = 100L * 1024 * 1024;

  private Safetensors() {}

  /** A file's tensors and its metadata. */
  public record Contents(Weights weights, Map<String, String> metadata) {}

  /**
   * Encodes tensors and metadata as safetensors bytes: the tensors in the order {@code weights}
   * holds them (a model's declared order), the {@code __metadata__} pairs sorted by key, so equal
   * inputs give identical bytes in every JVM.
   */
  public static byte[] encode(Weights weights, Map<String, String> metadata) {
    ObjectNode header = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = header.putObject("__metadata__");
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, FloatTensor> e : weights.tensors().entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", "F32");
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long bytes = 4L * e.getValue().size();
      t.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    int pad = (8 - json.length % 8) % 8; // align the data section to 8 bytes, padding with spaces
    ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + json.length + pad + offset)).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(json.length + pad);
    buf.put(json);
    for (int i = 0; i < pad; i++) {
      buf.put((byte) ' ');
    }
    for (FloatTensor t : weights.tensors().values()) {
      for (float v : t.data()) {
        buf.putFloat(v);
      }
    }
    return buf.array();
  }

  /**
   * Decodes safetensors bytes.
   *
   * @param source names the origin in error messages
   * @throws IllegalArgumentException when the bytes are not a valid F32 safetensors file
   */
  public static Contents decode(byte[] bytes, String source) {
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 8) {
      throw new IllegalArgumentException(source + ": is " + bytes.length + " bytes long, expected a safetensors file (at least 8 bytes)");
    }
    long headerLength = buf.getLong();
    if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
      throw new IllegalArgumentException(source + ": header length " + headerLength + " does not fit a file of "
          + bytes.length + " bytes; not a safetensors file or truncated");
    }
    JsonNode header;
    try {
      header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + ": header is not valid JSON: " + StrictParsing.problem(e));
    }
    if (header == null || !header.isObject()) {
      throw new IllegalArgumentException(source + ": header is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    long dataLength = bytes.length - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
      } else {
        entries.add(e);
      }
    }
    Map<String, FloatTensor> tensors = new LinkedHashMap<>();
    for (var e : entries) {
      String name = e.getKey();
      JsonNode t = e.getValue();
      if (!"F32".equals(t.path("dtype").asText())) {
        throw new IllegalArgumentException(source + ": tensor '" + name + "' has dtype " + t.path("dtype")
            + ", expected F32");
      }
      JsonNode shapeNode = t.path("shape");
      JsonNode offsets = t.path("data_offsets");
      if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
        throw new IllegalArgumentException(source + ": tensor '" + name + "' lacks a shape or data_offsets");
      }
      long[] shape = new long[shapeNode.size()];
      long count = 1;
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong(-1);
        if (shape[i] < 0) {
          throw new IllegalArgumentException(source + ": tensor '" + name + "' has a negative dimension");
        }
        count *= shape[i];
      }
      long begin = offsets.get(0).asLong(-1);
      long end = offsets.get(1).asLong(-1);
      if (begin < 0 || end < begin || end > dataLength || end - begin != 4 * count) {
        throw new IllegalArgumentException(source + ": tensor '" + name + "' has data_offsets [" + begin + ", " + end
            + "] that do not fit its shape or the " + dataLength + "-byte data section; file truncated?");
      }
      float[] data = new float[(int) count];
      ByteBuffer slice = ByteBuffer.wrap(bytes, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
      slice.asFloatBuffer().get(data);
      tensors.put(name, new FloatTensor(shape, data));
    }
    return new Contents(new Weights(tensors), metadata);
  }

  /** Writes a file atomically (temporary file, then move). */
  public static void write(Path file, Weights weights, Map<String, String> metadata) throws IOException {
    AtomicFiles.write(file, encode(weights, metadata));
  }

  /**
   * Reads a file.
   *
   * @throws IllegalArgumentException when it is missing, not a regular file ({@link RunFiles}), too large to read or
   *     not a valid safetensors file
   */
  public static Contents read(Path file) {
    return decode(RunFiles.readAll(file, "a safetensors weights file"), file.toString());
  }
}

package dev.rnnx.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * KServe v2 {@code BYTES} tensors of the text answers ({@code infer} on a seq2seq or word2vec run):
 * the one {@code BYTES} input's strings, as JSON strings in {@code data} or as binary tensor data
 * (each element a 4-byte little-endian length, then that many bytes of UTF-8, as Triton's clients
 * send them), and the answer's outputs, as JSON {@code data} or, for the outputs asked for as
 * binary ({@code "binary_data_output": true}, or an output's {@code "binary_data": true}), as
 * binary data after the JSON in the same layout ({@code FP32}, {@code FP64}: little-endian values).
 * Every refusal is a 400 of one line naming the input.
 */
final class TextTensors {

  private TextTensors() {}

  /** One output of a text answer: {@code values} are {@code String}s for {@code BYTES}, numbers otherwise. */
  record Output(String name, String datatype, long[] shape, List<?> values) {}

  /**
   * The strings of the request's one {@code BYTES} input {@code name}, of shape {@code [n]}.
   *
   * @param headerLength the JSON part's length when the body carries binary data, else -1
   */
  static List<String> read(JsonNode root, String name, byte[] body, int headerLength) {
    JsonNode inputs = root.get("inputs");
    if (inputs.size() != 1 || !name.equals(inputs.get(0).path("name").asText(null))) {
      throw ApiException.badRequest("a BYTES request has one input '" + name + "', got " + inputs.size() + " input(s) named "
          + inputs.findValuesAsText("name"));
    }
    JsonNode in = inputs.get(0);
    JsonNode shape = in.get("shape");
    JsonNode data = in.get("data");
    JsonNode size = in.path("parameters").get("binary_data_size");
    boolean binary = data == null && size != null;
    if (binary && headerLength < 0) {
      throw ApiException.badRequest("request: input '" + name + "' gives binary_data_size but the request has no "
          + BinaryTensors.HEADER + " header, expected the binary data after the JSON part");
    }
    if (shape == null || !shape.isArray() || shape.size() != 1 || !shape.get(0).canConvertToInt() || shape.get(0).asInt() < 0
        || !binary && (data == null || !data.isArray() || data.size() != shape.get(0).asInt())) {
      throw ApiException.badRequest("request: input '" + name + "' must be BYTES [n] with n strings in 'data', got shape "
          + shape + " and " + (data == null ? binary ? "binary data" : "no data" : data.size() + " values"));
    }
    int n = shape.get(0).asInt();
    List<String> strings = new ArrayList<>(n);
    if (binary) {
      readBinary(name, n, size, body, headerLength, strings);
      return strings;
    }
    for (int i = 0; i < n; i++) {
      if (!data.get(i).isTextual()) {
        throw ApiException.badRequest("request: input '" + name + "': value " + data.get(i) + " at flat index " + i
            + " is not a string, expected BYTES as JSON strings");
      }
      strings.add(data.get(i).asText());
    }
    if (headerLength >= 0 && headerLength != body.length) {
      throw ApiException.badRequest("the body holds " + (body.length - headerLength) + " bytes of binary data that no input's"
          + " binary_data_size claims, expected the inputs' sizes to add up to the body after its JSON part");
    }
    return strings;
  }

  private static void readBinary(String name, int n, JsonNode size, byte[] body, int headerLength, List<String> strings) {
    String where = "request: input '" + name + "'";
    if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw ApiException.badRequest(where + ": binary_data_size is " + size + ", expected a non-negative integer");
    }
    long bytes = size.asLong();
    if (bytes != body.length - headerLength) {
      throw ApiException.badRequest(where + ": binary_data_size is " + bytes + " bytes, but the body holds " + (body.length
          - headerLength) + " bytes of binary data after its JSON part, expected the same");
    }
    ByteBuffer b = ByteBuffer.wrap(body, headerLength, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    for (int i = 0; i < n; i++) {
      if (b.remaining() < 4) {
        throw ApiException.badRequest(where + ": the binary data ends before element " + i + " of " + n
            + ", expected each element as a 4-byte little-endian length and its UTF-8 bytes");
      }
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        throw ApiException.badRequest(where + ": element " + i + " has length " + Integer.toUnsignedString(length) + " but "
            + b.remaining() + " bytes are left, expected each element as a 4-byte little-endian length and its UTF-8 bytes");
      }
      ByteBuffer one = b.slice(b.position(), length);
      b.position(b.position() + length);
      try {
        strings.add(utf8.decode(one).toString());
      } catch (CharacterCodingException e) {
        throw ApiException.badRequest(where + ": element " + i + " is not valid UTF-8, expected BYTES as UTF-8 text");
      }
    }
    if (b.hasRemaining()) {
      throw ApiException.badRequest(where + ": " + b.remaining() + " bytes are left after its " + n + " elements, expected"
          + " binary_data_size to cover the " + n + " elements exactly");
    }
  }

  /** The answer: each output as JSON data, or as binary data where the request asks for it. */
  static InferenceCodec.Encoded response(JsonNode root, String model, String version, String id, List<Output> outputs) {
    boolean all = root.path("parameters").path("binary_data_output").asBoolean(false);
    Set<String> asked = new HashSet<>();
    for (JsonNode o : root.path("outputs")) {
      if (o.path("parameters").path("binary_data").asBoolean(false)) {
        asked.add(o.path("name").asText());
      }
    }
    List<byte[]> raw = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator g = InferenceCodec.JSON.getFactory().createGenerator(bytes)) {
      InferenceCodec.startResponse(g, model, version, id);
      for (Output o : outputs) {
        g.writeStartObject();
        g.writeStringField("name", o.name());
        g.writeStringField("datatype", o.datatype());
        g.writeArrayFieldStart("shape");
        for (long d : o.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        if (all || asked.contains(o.name())) {
          byte[] r = binary(o);
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", r.length);
          g.writeEndObject();
          raw.add(r);
        } else {
          g.writeFieldName("data");
          InferenceCodec.JSON.writeValue(g, o.values());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return InferenceCodec.framed(bytes, raw);
  }

  /** An output's values as binary tensor data. */
  static byte[] binary(Output o) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (Object v : o.values()) {
      b.clear();
      switch (o.datatype()) {
        case "BYTES" -> {
          byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
          out.write(b.putInt(s.length).array(), 0, 4);
          out.writeBytes(s);
        }
        case "FP64" -> out.write(b.putDouble(((Number) v).doubleValue()).array(), 0, 8);
        case "FP32" -> out.write(b.putFloat(((Number) v).floatValue()).array(), 0, 4);
        default -> throw new IllegalStateException("no binary form for datatype " + o.datatype());
      }
    }
    return out.toByteArray();
  }
}

package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.djl.Generation;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.SimilarWords;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BYTES} tensors over the loopback interface: as binary tensor data (4-byte little-endian
 * lengths, then UTF-8) into {@code infer} on a seq2seq run (generation) and on a word2vec run (the
 * nearest words), answered as JSON or as binary data, equal to the in-process answers; word2vec's
 * {@code infer} with JSON strings too; and each malformed binary {@code BYTES} input a 400 naming it.
 */
class BinaryBytesTensorsTest {

  @TempDir
  static Path dir;

  static RnnxModel dates;
  static RnnxModel words;
  static ModelServer server;

  @BeforeAll
  static void start() throws Exception {
    dates = RnnxModel.load(TokenRuns.of(dir.resolve("dates"), TokenRuns.DATES));
    words = RnnxModel.load(TokenRuns.of(dir.resolve("w2v"), TokenRuns.WORD2VEC));
    Map<String, RnnxModel> models = new LinkedHashMap<>();
    models.put("dates", dates);
    models.put("w2v", words);
    server = ModelServer.start(models, ServerOptions.DEFAULTS.withPort(0), null);
  }

  @AfterAll
  static void stop() {
    server.close();
    dates.close();
    words.close();
  }

  /** Strings as binary BYTES elements. */
  static byte[] elements(String... strings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String s : strings) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  /** POSTs a JSON header and binary data to {@code model}'s infer. */
  static RawHttp.Reply post(String model, String json, byte[] binary) throws Exception {
    byte[] head = json.getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(head, head.length + binary.length);
    System.arraycopy(binary, 0, body, head.length, binary.length);
    try (RawHttp c = new RawHttp(server.port())) {
      c.send(RawHttp.post("/v2/models/" + model + "/infer", body, BinaryTensors.HEADER + ": " + head.length));
      return c.read();
    }
  }

  static String bytesInput(String name, int n, int size, String rest) {
    return "{\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\"BYTES\",\"shape\":[" + n + "],\"parameters\":{\"binary_data_size\":"
        + size + "}}]" + rest + "}";
  }

  static JsonNode output(JsonNode json, String name) {
    for (JsonNode o : json.get("outputs")) {
      if (o.get("name").asText().equals(name)) {
        return o;
      }
    }
    throw new AssertionError("no output " + name + " in " + json);
  }

  @Test
  void binaryTextInputGeneratesEachStringAndAnswersInBinary() throws Exception {
    String[] texts = {"7 march 1998", "12 june 2001", "1 may 2020"};
    byte[] data = elements(texts);
    RawHttp.Reply json = post("dates", bytesInput("text_input", 3, data.length, ""), data);
    assertEquals(200, json.status(), json.text());
    JsonNode answer = Loopback.JSON.readTree(json.body());
    for (int i = 0; i < texts.length; i++) {
      Generation local = dates.generator().generate(texts[i], SearchOptions.GREEDY);
      assertEquals(local.text(), output(answer, "text_output").get("data").get(i).asText());
      assertEquals(local.score(), output(answer, "score").get("data").get(i).asDouble(), 0);
    }
    RawHttp.Reply binary = post("dates", bytesInput("text_input", 3, data.length, ",\"parameters\":{\"binary_data_output\":true}"), data);
    assertEquals(200, binary.status(), binary.text());
    assertEquals("application/octet-stream", binary.headers().get("content-type"));
    int header = Integer.parseInt(binary.headers().get("inference-header-content-length"));
    JsonNode head = Loopback.JSON.readTree(Arrays.copyOf(binary.body(), header));
    JsonNode text = output(head, "text_output");
    JsonNode score = output(head, "score");
    assertFalse(text.has("data"), head.toString());
    ByteBuffer b = ByteBuffer.wrap(binary.body(), header, binary.body().length - header).order(ByteOrder.LITTLE_ENDIAN);
    int textSize = text.get("parameters").get("binary_data_size").asInt();
    assertEquals(textSize + 8 * 3, b.remaining());
    for (int i = 0; i < texts.length; i++) { // text_output first (the order of outputs), then score
      byte[] s = new byte[b.getInt()];
      b.get(s);
      assertEquals(output(answer, "text_output").get("data").get(i).asText(), new String(s, StandardCharsets.UTF_8));
    }
    for (int i = 0; i < texts.length; i++) {
      assertEquals(Double.doubleToRawLongBits(output(answer, "score").get("data").get(i).asDouble()), Double.doubleToRawLongBits(b.getDouble()));
    }
    assertEquals(24, score.get("parameters").get("binary_data_size").asInt());
  }

  @Test
  void word2vecInferAnswersTheNearestWordsOfEachWord() throws Exception {
    byte[] data = elements("cat", "Dog");
    RawHttp.Reply r = post("w2v", bytesInput("word", 2, data.length, ",\"parameters\":{\"k\":3}"), data);
    assertEquals(200, r.status(), r.text());
    JsonNode answer = Loopback.JSON.readTree(r.body());
    JsonNode neighbours = output(answer, "neighbours");
    JsonNode scores = output(answer, "scores");
    assertEquals("[2,3]", neighbours.get("shape").toString());
    assertEquals("BYTES", neighbours.get("datatype").asText());
    assertEquals("FP64", scores.get("datatype").asText());
    String[] words = {"cat", "Dog"};
    for (int w = 0; w < 2; w++) {
      List<SimilarWords.Neighbour> local = BinaryBytesTensorsTest.words.similarWords().mostSimilar(words[w], 3);
      for (int i = 0; i < 3; i++) {
        assertEquals(local.get(i).word(), neighbours.get("data").get(w * 3 + i).asText());
        assertEquals(local.get(i).score(), scores.get("data").get(w * 3 + i).asDouble(), 0);
      }
    }
    Loopback http = new Loopback(server.port());
    Loopback.Reply viaJson = http.post("/v2/models/w2v/infer", "{\"inputs\":[{\"name\":\"word\",\"datatype\":\"BYTES\",\"shape\":[2],"
        + "\"data\":[\"cat\",\"Dog\"]}],\"parameters\":{\"k\":3}}");
    assertEquals(200, viaJson.status(), viaJson.body());
    assertEquals(answer, viaJson.json());
    ModelServerTest.assertBad(400, http.post("/v2/models/w2v/infer", "{\"inputs\":[{\"name\":\"word\",\"datatype\":\"BYTES\","
        + "\"shape\":[1],\"data\":[\"unicorn\"]}]}"), "'unicorn' is not in the vocabulary");
  }

  @Test
  void malformedBinaryBytesAreRefusedNamingTheInput() throws Exception {
    byte[] data = elements("7 march 1998");
    RawHttp.Reply shortSize = post("dates", bytesInput("text_input", 1, data.length - 1, ""), data);
    assertEquals(400, shortSize.status());
    assertTrue(shortSize.text().contains("input 'text_input': binary_data_size is " + (data.length - 1) + " bytes, but the body holds "
        + data.length), shortSize.text());
    RawHttp.Reply tooFew = post("dates", bytesInput("text_input", 2, data.length, ""), data);
    assertEquals(400, tooFew.status());
    assertTrue(tooFew.text().contains("the binary data ends before element 1 of 2"), tooFew.text());
    byte[] longLength = data.clone();
    longLength[0] = 100;
    RawHttp.Reply overrun = post("dates", bytesInput("text_input", 1, data.length, ""), longLength);
    assertEquals(400, overrun.status());
    assertTrue(overrun.text().contains("element 0 has length 100 but 12 bytes are left"), overrun.text());
    byte[] invalid = elements("ab");
    invalid[4] = (byte) 0xC3; // a lead byte without its continuation
    invalid[5] = 'x';
    RawHttp.Reply notUtf8 = post("w2v", bytesInput("word", 1, invalid.length, ""), invalid);
    assertEquals(400, notUtf8.status());
    assertTrue(notUtf8.text().contains("input 'word': element 0 is not valid UTF-8"), notUtf8.text());
    RawHttp.Reply leftOver = post("dates", bytesInput("text_input", 1, data.length + 2, ""),
        Arrays.copyOf(data, data.length + 2));
    assertEquals(400, leftOver.status());
    assertTrue(leftOver.text().contains("2 bytes are left after its 1 elements"), leftOver.text());
  }
}

package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.djl.Generation;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.SimilarWords;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text endpoints over the loopback interface, on a seq2seq and a word2vec run folder served
 * side by side: {@code generate} and {@code most_similar} answer what the in-process {@link
 * RnnxModel} does, and refuse a bad word, a bad setting or the wrong kind of model with a 4xx.
 */
class TextEndpointsTest {

  @TempDir
  static Path dir;

  static RnnxModel dates;
  static RnnxModel words;
  static ModelServer server;
  static Loopback http;

  @BeforeAll
  static void start() throws Exception {
    dates = RnnxModel.load(TokenRuns.of(dir.resolve("dates"), TokenRuns.DATES));
    words = RnnxModel.load(TokenRuns.of(dir.resolve("w2v"), TokenRuns.WORD2VEC));
    Map<String, RnnxModel> models = new LinkedHashMap<>();
    models.put("dates", dates);
    models.put("w2v", words);
    server = ModelServer.start(models, ServerOptions.DEFAULTS.withPort(0), null);
    http = new Loopback(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
    dates.close();
    words.close();
  }

  @Test
  void generateAnswersWhatTheModelGenerates() throws Exception {
    Loopback.Reply r = http.post("/v2/models/dates/generate", "{\"text_input\": \"7 march 1998\"}");
    assertEquals(200, r.status(), r.body());
    Generation local = dates.generator().generate("7 march 1998", SearchOptions.GREEDY);
    assertEquals(local.text(), r.json().get("text_output").asText());
    assertEquals("dates", r.json().get("model_name").asText());
    Loopback.Reply beam = http.post("/v2/models/dates/generate",
        "{\"text_input\": \"7 march 1998\", \"parameters\": {\"beam_width\": 3, \"max_length\": 5}}");
    assertEquals(200, beam.status(), beam.body());
    Generation localBeam = dates.generator().generate("7 march 1998", new SearchOptions(3, 0, 5));
    assertEquals(localBeam.text(), beam.json().get("text_output").asText());
    assertEquals(localBeam.score(), beam.json().get("score").asDouble(), 0);
  }

  @Test
  void inferWithBytesTensorsGeneratesEachString() throws Exception {
    Loopback.Reply r = http.post("/v2/models/dates/infer", "{\"id\": \"t\", \"inputs\": [{\"name\": \"text_input\","
        + " \"datatype\": \"BYTES\", \"shape\": [2], \"data\": [\"7 march 1998\", \"12 june 2001\"]}],"
        + " \"parameters\": {\"beam_width\": 2}}");
    assertEquals(200, r.status(), r.body());
    assertEquals("t", r.json().get("id").asText());
    JsonNode out = r.json().get("outputs");
    JsonNode text = out.get(0).get("name").asText().equals("text_output") ? out.get(0) : out.get(1);
    JsonNode score = text == out.get(0) ? out.get(1) : out.get(0);
    assertEquals("BYTES", text.get("datatype").asText());
    assertEquals("[2]", text.get("shape").toString());
    assertEquals("FP64", score.get("datatype").asText());
    String[] inputs = {"7 march 1998", "12 june 2001"};
    for (int i = 0; i < 2; i++) {
      Generation local = dates.generator().generate(inputs[i], new SearchOptions(2, 0, 0));
      assertEquals(local.text(), text.get("data").get(i).asText());
      assertEquals(local.score(), score.get("data").get(i).asDouble(), 0);
    }
    Loopback.Reply bad = http.post("/v2/models/dates/infer", "{\"inputs\": [{\"name\": \"text_input\","
        + " \"datatype\": \"BYTES\", \"shape\": [2], \"data\": [\"7 march 1998\"]}]}");
    assertEquals(400, bad.status());
    assertEquals("request: input 'text_input' must be BYTES [n] with n strings in 'data', got shape [2] and 1 values",
        bad.error());
    Loopback.Reply notText = http.post("/v2/models/dates/infer", "{\"inputs\": [{\"name\": \"text_input\","
        + " \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [7]}]}");
    assertEquals(400, notText.status());
    assertTrue(notText.error().contains("value 7 at flat index 0 is not a string"), notText.error());
  }

  @Test
  void mostSimilarAnswersTheNearestWords() throws Exception {
    Loopback.Reply r = http.post("/v2/models/w2v/most_similar", "{\"word\": \"Cat\", \"k\": 3}");
    assertEquals(200, r.status(), r.body());
    JsonNode json = r.json();
    assertEquals("cat", json.get("word").asText());
    List<SimilarWords.Neighbour> local = words.similarWords().mostSimilar("cat", 3);
    assertEquals(3, json.get("neighbours").size());
    for (int i = 0; i < 3; i++) {
      assertEquals(local.get(i).word(), json.get("neighbours").get(i).get("word").asText());
      assertEquals(local.get(i).score(), json.get("neighbours").get(i).get("score").asDouble(), 0);
    }
  }

  @Test
  void textEndpointsRefuseBadRequests() throws Exception {
    ModelServerTest.assertBad(400, http.post("/v2/models/w2v/most_similar", "{\"word\": \"unicorn\"}"),
        "'unicorn' is not in the vocabulary");
    ModelServerTest.assertBad(400, http.post("/v2/models/w2v/most_similar", "{\"word\": \"cat\", \"k\": 0}"), "k is 0, expected 1");
    ModelServerTest.assertBad(400, http.post("/v2/models/w2v/most_similar", "{\"k\": 3}"), "'word' is missing");
    ModelServerTest.assertBad(400, http.post("/v2/models/w2v/generate", "{\"text_input\": \"cat\"}"),
        "model 'w2v' serves task embedding; generate needs a seq2seq run");
    ModelServerTest.assertBad(400, http.post("/v2/models/dates/generate", "{\"text_input\": 7}"), "'text_input' is 7, expected a string");
    ModelServerTest.assertBad(400, http.post("/v2/models/dates/generate",
        "{\"text_input\": \"7 march\", \"parameters\": {\"beam_width\": 0}}"), "beam");
    ModelServerTest.assertBad(400, http.post("/v2/models/dates/most_similar", "{\"word\": \"cat\"}"),
        "most_similar needs a word2vec run");
  }

  @Test
  void metadataOfAMultiFormRunNamesItsForms() throws Exception {
    JsonNode m = http.get("/v2/models/dates").json();
    assertEquals("generation", m.get("parameters").get("task").asText());
    assertTrue(m.get("parameters").get("forms").toString().contains("decoder_step"), m.toString());
    JsonNode in = m.get("inputs").get(0);
    assertEquals("INT64", in.get("datatype").asText(), m.toString());
  }
}

package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.FloatTensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server over the loopback interface on the golden sine-lstm ({@code models/golden/sine-lstm/model.onnx},
 * input {@code input} float32 [batch, time, 1], output {@code output}) with dynamic batching:
 * every endpoint, answers bit for bit equal to the in-process {@link RnnxModel}'s, each kind of bad
 * request a 4xx naming the problem, the metrics and the access log.
 */
class ModelServerTest {

  static RnnxModel model;
  static ModelServer server;
  static Loopback http;
  static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    model = RnnxModel.builder(Path.of("models/golden/sine-lstm/model.onnx")).optBatching(BatchingOptions.DEFAULTS).build();
    server = ModelServer.start(Map.of("sine", model), ServerOptions.DEFAULTS.withPort(0),
        new PrintStream(LOG, true, StandardCharsets.UTF_8));
    http = new Loopback(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
    model.close();
  }

  @Test
  void healthAndServerMetadata() throws Exception {
    assertEquals(200, http.get("/v2/health/live").status());
    Loopback.Reply ready = http.get("/v2/health/ready");
    assertEquals(200, ready.status());
    assertTrue(ready.json().get("ready").asBoolean());
    JsonNode meta = http.get("/v2").json();
    assertEquals("rnnx", meta.get("name").asText());
    assertFalse(meta.get("version").asText().isEmpty());
    JsonNode modelReady = http.get("/v2/models/sine/ready").json();
    assertEquals("sine", modelReady.get("name").asText());
    assertTrue(modelReady.get("ready").asBoolean());
    assertEquals(200, http.get("/v2/models/sine/versions/1/ready").status());
  }

  @Test
  void runsOnEpollWhereNettysNativeTransportLoads() {
    boolean linuxX64 = System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
    // the pom ships the linux-x86_64 native library: there the server must use it (and NIO elsewhere)
    assertEquals(linuxX64 ? "epoll" : "nio", server.transport());
  }

  @Test
  void modelMetadataComesFromTheInputContract() throws Exception {
    for (String path : List.of("/v2/models/sine", "/v2/models/sine/versions/1")) {
      Loopback.Reply r = http.get(path);
      assertEquals(200, r.status(), r.body());
      JsonNode m = r.json();
      assertEquals("sine", m.get("name").asText());
      assertEquals("1", m.get("versions").get(0).asText());
      assertEquals("onnxruntime_onnx", m.get("platform").asText());
      JsonNode in = m.get("inputs").get(0);
      assertEquals("input", in.get("name").asText());
      assertEquals("FP32", in.get("datatype").asText());
      assertEquals("[-1,-1,1]", in.get("shape").toString());
      JsonNode out = m.get("outputs").get(0);
      assertEquals("output", out.get("name").asText());
      assertEquals("FP32", out.get("datatype").asText());
      assertEquals(2, out.get("shape").size(), out.toString());
      assertEquals(1, out.get("shape").get(1).asLong());
    }
  }

  @Test
  void answersEqualTheInProcessModelBitForBit() throws Exception {
    Random random = new Random(11);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<float[]> inputs = new ArrayList<>();
      List<Future<Loopback.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        int steps = 1 + random.nextInt(40);
        float[] x = new float[steps];
        for (int t = 0; t < steps; t++) {
          x[t] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3)); // many exponents
        }
        inputs.add(x);
        String body = Loopback.infer("input", new long[] {1, steps, 1}, x, "req-" + i);
        replies.add(pool.submit(() -> http.post("/v2/models/sine/infer", body)));
      }
      for (int i = 0; i < inputs.size(); i++) {
        float[] x = inputs.get(i);
        Loopback.Reply r = replies.get(i).get();
        assertEquals(200, r.status(), r.body());
        assertEquals("req-" + i, r.json().get("id").asText());
        assertEquals("sine", r.json().get("model_name").asText());
        assertEquals("[1,1]", r.json().get("outputs").get(0).get("shape").toString());
        float[] served = Loopback.outputData(r.body(), "output");
        float[] local = model.tensors().predict(Map.of("input", FloatTensor.of(x, 1, x.length, 1))).get("output").data();
        assertEquals(local.length, served.length);
        for (int k = 0; k < local.length; k++) {
          assertEquals(Float.floatToRawIntBits(local[k]), Float.floatToRawIntBits(served[k]),
              "request " + i + ": served " + served[k] + ", in process " + local[k]);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void float32ValuesRoundTripExactlyThroughTheJsonOfARequest() throws Exception {
    // the server reads what a client writes with Float.toString: the extremes of float32 survive
    float[] x = {Float.MIN_VALUE, Float.MAX_VALUE / 1e30f, 1.0000001f, -0.1f, 3.4e-20f, 16777217f};
    Loopback.Reply r = http.post("/v2/models/sine/infer", Loopback.infer("input", new long[] {1, x.length, 1}, x, null));
    assertEquals(200, r.status(), r.body());
    float[] local = model.tensors().predict(Map.of("input", FloatTensor.of(x, 1, x.length, 1))).get("output").data();
    assertArrayEquals(local, Loopback.outputData(r.body(), "output"));
    assertFalse(r.json().has("id"), "no id asked, none echoed");
  }

  @Test
  void aBatchOfSequencesAndAnOutputSelection() throws Exception {
    float[] x = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
    String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[2,3,1],\"data\":[0.1,0.2,0.3,0.4,0.5,0.6]}],"
        + "\"outputs\":[{\"name\":\"output\"}],\"parameters\":{\"note\":\"ignored\"}}";
    Loopback.Reply r = http.post("/v2/models/sine/versions/1/infer", body);
    assertEquals(200, r.status(), r.body());
    assertEquals("[2,1]", r.json().get("outputs").get(0).get("shape").toString());
    float[] local = model.tensors().predict(Map.of("input", FloatTensor.of(x, 2, 3, 1))).get("output").data();
    assertArrayEquals(local, Loopback.outputData(r.body(), "output"));
  }

  @Test
  void badRequestsAreFourHundredsNamingTheProblem() throws Exception {
    String infer = "/v2/models/sine/infer";
    assertBad(400, http.post(infer, "{\"inputs\": [ {"), "is not valid JSON");
    assertBad(400, http.post(infer, "{\"inputs\": [], \"inputs\": []}"), "duplicate key 'inputs'");
    assertBad(400, http.post(infer, "[1, 2]"), "expected a JSON object");
    assertBad(400, http.post(infer, ""), "body is empty");
    assertBad(400, http.post(infer, "{\"id\": \"a\"}"), "'inputs' is missing");
    assertBad(400, http.post(infer, tensor("input", "INT64", "[1,3,1]", "[1,2,3]")),
        "request: input 'input' must be FP32 (float32 [batch, time, 1]), got datatype INT64");
    assertBad(400, http.post(infer, tensor("input", "BYTES", "[1,3,1]", "[\"a\",\"b\",\"c\"]")), "datatype 'BYTES' is not supported");
    assertBad(400, http.post(infer, tensor("input", "FP32", "[1,3,2]", "[1,2,3,4,5,6]")),
        "input 'input' must be float32 [batch, time, 1], got float32 [1, 3, 2]");
    assertBad(400, http.post(infer, tensor("input", "FP32", "[1,3,1]", "[1,2]")), "shape [1, 3, 1] needs 3 values, got 2");
    assertBad(400, http.post(infer, tensor("input", "FP32", "[1,2,1]", "[1,\"x\"]")), "is not a number");
    assertBad(400, http.post(infer, tensor("input", "FP32", "[1,2,1]", "[1,1e39]")), "is not finite as float32");
    assertBad(400, http.post(infer, tensor("inputs", "FP32", "[1,2,1]", "[1,2]")), "unknown input 'inputs', expected [input]");
    assertBad(400, http.post(infer, "{\"inputs\":[" + tensorJson("input", "FP32", "[1,1,1]", "[1]") + ","
        + tensorJson("input", "FP32", "[1,1,1]", "[1]") + "]}"), "input 'input' is given twice");
    assertBad(400, http.post(infer, "{\"inputs\":[" + tensorJson("input", "FP32", "[1,1,1]", "[1]") + "],"
        + "\"outputs\":[{\"name\":\"logits\"}]}"), "unknown output 'logits', expected one of [output]");
    assertBad(404, http.post("/v2/models/cosine/infer", tensor("input", "FP32", "[1,1,1]", "[1]")),
        "unknown model 'cosine', expected one of [sine]");
    assertBad(404, http.get("/v2/models/sine/versions/2"), "has no version '2'");
    assertBad(404, http.get("/v3/models"), "no endpoint /v3/models");
    assertBad(405, http.get(infer), "GET /v2/models/sine/infer is not allowed, expected POST");
    assertBad(400, http.post("/v2/models/sine/generate", "{\"text_input\": \"hi\"}"), "generate needs a seq2seq run");
    assertBad(400, http.post("/v2/models/sine/most_similar", "{\"word\": \"hi\"}"), "most_similar needs a word2vec run");
    // and the server still answers
    assertEquals(200, http.post(infer, tensor("input", "FP32", "[1,1,1]", "[0.5]")).status());
  }

  @Test
  void metricsInPrometheusTextAndAJsonLineAccessLog() throws Exception {
    assertEquals(200, http.post("/v2/models/sine/infer", tensor("input", "FP32", "[1,2,1]", "[0.5,0.25]")).status());
    assertEquals(400, http.post("/v2/models/sine/infer", "{").status());
    Loopback.Reply m = http.get("/metrics");
    assertEquals(200, m.status());
    String text = m.body();
    assertTrue(text.contains("# TYPE rnnx_requests_total counter"), text);
    assertTrue(text.matches("(?s).*rnnx_requests_total\\{model=\"sine\",endpoint=\"infer\",code=\"200\"} [1-9]\\d*\n.*"), text);
    assertTrue(text.matches("(?s).*rnnx_requests_total\\{model=\"sine\",endpoint=\"infer\",code=\"400\"} [1-9]\\d*\n.*"), text);
    assertTrue(text.contains("# TYPE rnnx_request_duration_seconds histogram"), text);
    assertTrue(text.matches("(?s).*rnnx_request_duration_seconds_bucket\\{model=\"sine\",le=\"\\+Inf\"} [1-9]\\d*\n.*"), text);
    assertTrue(text.matches("(?s).*rnnx_batches_total\\{model=\"sine\"} [1-9]\\d*\n.*"), text);
    assertTrue(text.contains("rnnx_queue_capacity 256\n"), text);
    for (String line : text.lines().toList()) {
      assertTrue(line.startsWith("#") || line.matches("[a-z_]+(\\{[^}]*})? [0-9.E+-]+"), "not exposition format: " + line);
    }
    List<String> lines = LOG.toString(StandardCharsets.UTF_8).lines().toList();
    assertFalse(lines.isEmpty());
    JsonNode bad = null;
    for (String line : lines) {
      JsonNode j = Loopback.JSON.readTree(line); // every line is one JSON object
      if (j.get("status").asInt() == 400 && j.get("path").asText().equals("/v2/models/sine/infer")) {
        bad = j;
      }
    }
    assertTrue(bad != null, String.join("\n", lines));
    assertEquals("sine", bad.get("model").asText());
    assertEquals("POST", bad.get("method").asText());
    assertTrue(bad.get("error").asText().contains("not valid JSON"), bad.toString());
    assertTrue(bad.get("duration_ms").asDouble() >= 0);
  }

  static void assertBad(int status, Loopback.Reply r, String expected) {
    assertEquals(status, r.status(), r.body());
    String error = r.error();
    assertTrue(error.contains(expected), "expected '" + expected + "' in: " + error);
    assertFalse(error.contains("\n") || error.contains("\tat ") || error.contains("Exception"), "one line, no stack trace: " + error);
  }

  static String tensor(String name, String datatype, String shape, String data) {
    return "{\"inputs\":[" + tensorJson(name, datatype, shape, data) + "]}";
  }

  static String tensorJson(String name, String datatype, String shape, String data) {
    return "{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"data\":" + data + "}";
  }
}

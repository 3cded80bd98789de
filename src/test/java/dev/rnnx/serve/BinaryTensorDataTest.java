package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KServe v2's binary tensor data extension over the loopback interface, on the golden sine-lstm
 * with dynamic batching (the event loop's path) and without (the request threads' path): raw
 * little-endian inputs after the JSON, outputs asked for as binary, answers bit for bit the
 * in-process model's; each malformed binary request a 400 naming the problem.
 */
class BinaryTensorDataTest {

  static RnnxModel batched;
  static RnnxModel plain;
  static ModelServer server;

  @BeforeAll
  static void start() {
    Path onnx = Path.of("models/golden/sine-lstm/model.onnx");
    batched = RnnxModel.builder(onnx).optBatching(BatchingOptions.DEFAULTS).build();
    plain = RnnxModel.builder(onnx).build();
    server = ModelServer.start(Map.of("sine", batched, "plain", plain), ServerOptions.DEFAULTS.withPort(0), null);
  }

  @AfterAll
  static void stop() {
    server.close();
    batched.close();
    plain.close();
  }

  /** A binary request: the JSON header, then each float's 4 bytes, little-endian. */
  static byte[][] binaryRequest(float[] x, String outputs) {
    String json = "{\"id\":\"b\",\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1," + x.length
        + ",1],\"parameters\":{\"binary_data_size\":" + 4 * x.length + "}}]" + outputs + "}";
    byte[] head = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(head.length + 4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(head);
    for (float v : x) {
      b.putFloat(v);
    }
    return new byte[][] {b.array(), String.valueOf(head.length).getBytes(StandardCharsets.US_ASCII)};
  }

  static RawHttp.Reply post(RawHttp c, String model, byte[] body, String... headers) throws Exception {
    c.send(RawHttp.post("/v2/models/" + model + "/infer", body, headers));
    return c.read();
  }

  static float[] local(float[] x) {
    return batched.tensors().predict(Map.of("input", FloatTensor.of(x, 1, x.length, 1))).get("output").data();
  }

  @Test
  void binaryInAndOutEqualsTheInProcessModelBitForBit() throws Exception {
    Random random = new Random(5);
    try (RawHttp c = new RawHttp(server.port())) {
      for (String model : new String[] {"sine", "plain"}) {
        for (int i = 0; i < 12; i++) {
          float[] x = new float[1 + random.nextInt(40)];
          for (int t = 0; t < x.length; t++) {
            x[t] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3));
          }
          byte[][] req = binaryRequest(x, ",\"parameters\":{\"binary_data_output\":true}");
          RawHttp.Reply r = post(c, model, req[0], BinaryTensors.HEADER + ": " + new String(req[1], StandardCharsets.US_ASCII));
          assertEquals(200, r.status(), r.text());
          assertEquals("application/octet-stream", r.headers().get("content-type"));
          int header = Integer.parseInt(r.headers().get("inference-header-content-length"));
          JsonNode json = Loopback.JSON.readTree(Arrays.copyOf(r.body(), header));
          JsonNode out = json.get("outputs").get(0);
          assertEquals("output", out.get("name").asText());
          assertEquals("[1,1]", out.get("shape").toString());
          assertFalse(out.has("data"), json.toString());
          assertEquals(4, out.get("parameters").get("binary_data_size").asInt());
          assertEquals(header + 4, r.body().length);
          float served = ByteBuffer.wrap(r.body(), header, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
          assertEquals(Float.floatToRawIntBits(local(x)[0]), Float.floatToRawIntBits(served), model + " request " + i);
        }
      }
    }
  }

  @Test
  void binaryInJsonOutAndJsonInBinaryOut() throws Exception {
    float[] x = {0.25f, -1.5f, 3e-7f, 2.0f};
    try (RawHttp c = new RawHttp(server.port())) {
      byte[][] req = binaryRequest(x, "");
      RawHttp.Reply r = post(c, "sine", req[0], BinaryTensors.HEADER + ": " + new String(req[1], StandardCharsets.US_ASCII));
      assertEquals(200, r.status(), r.text());
      assertEquals("application/json", r.headers().get("content-type"));
      assertFalse(r.headers().containsKey("inference-header-content-length"));
      assertEquals(Float.floatToRawIntBits(local(x)[0]), Float.floatToRawIntBits(Loopback.outputData(r.text(), "output")[0]));

      String json = Loopback.infer("input", new long[] {1, x.length, 1}, x, null);
      json = json.substring(0, json.length() - 1) + ",\"outputs\":[{\"name\":\"output\",\"parameters\":{\"binary_data\":true}}]}";
      r = post(c, "sine", json.getBytes(StandardCharsets.UTF_8));
      assertEquals(200, r.status(), r.text());
      int header = Integer.parseInt(r.headers().get("inference-header-content-length"));
      float served = ByteBuffer.wrap(r.body(), header, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
      assertEquals(Float.floatToRawIntBits(local(x)[0]), Float.floatToRawIntBits(served));
    }
  }

  @Test
  void malformedBinaryRequestsAre400WithTheProblemNamed() throws Exception {
    float[] x = {0.1f, 0.2f, 0.3f};
    byte[][] req = binaryRequest(x, "");
    int header = Integer.parseInt(new String(req[1], StandardCharsets.US_ASCII));
    String h = BinaryTensors.HEADER + ": ";
    try (RawHttp c = new RawHttp(server.port())) {
      RawHttp.Reply r = post(c, "sine", Arrays.copyOf(req[0], req[0].length + 4), h + header);
      assertEquals(400, r.status());
      assertTrue(r.text().contains("4 bytes of binary data that no input's binary_data_size claims"), r.text());

      r = post(c, "sine", Arrays.copyOf(req[0], req[0].length - 4), h + header);
      assertEquals(400, r.status());
      assertTrue(r.text().contains("binary_data_size is 12 bytes but only 8 bytes of binary data are left"), r.text());

      r = post(c, "sine", req[0], h + (req[0].length + 1));
      assertEquals(400, r.status());
      assertTrue(r.text().contains("longer than the body (" + req[0].length + " bytes)"), r.text());

      r = post(c, "sine", req[0], h + "12x");
      assertEquals(400, r.status());
      assertTrue(r.text().contains("Inference-Header-Content-Length is '12x', expected the length in bytes"), r.text());

      r = post(c, "sine", Arrays.copyOf(req[0], header));
      assertEquals(400, r.status());
      assertTrue(r.text().contains("binary_data_size is given but the request has no Inference-Header-Content-Length"), r.text());

      byte[] wrongSize = new String(req[0], StandardCharsets.ISO_8859_1).replace("\"binary_data_size\":12", "\"binary_data_size\":16")
          .getBytes(StandardCharsets.ISO_8859_1);
      r = post(c, "sine", wrongSize, h + header);
      assertEquals(400, r.status());
      assertTrue(r.text().contains("binary_data_size is 16 bytes, expected 12 (3 FP32 values of shape [1, 3, 1])"), r.text());
    }
  }
}

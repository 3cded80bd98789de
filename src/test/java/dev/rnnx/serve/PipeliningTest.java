package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 pipelining: a client that writes several requests on one connection before reading
 * gets the answers in the order of its requests, though the batcher may finish them in any order,
 * and each is the in-process answer bit for bit; a cheap request pipelined behind model work waits
 * its turn.
 */
class PipeliningTest {

  @Test
  void answersComeBackInRequestOrder() throws Exception {
    try (RnnxModel model = RnnxModel.builder(Path.of("models/golden/sine-lstm/model.onnx")).optBatching(BatchingOptions.DEFAULTS).build();
        ModelServer server = ModelServer.start(Map.of("sine", model), ServerOptions.DEFAULTS.withPort(0), null);
        RawHttp c = new RawHttp(server.port())) {
      for (int round = 0; round < 5; round++) {
        List<byte[]> requests = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          float[] x = new float[1 + (i * 7 + round) % 40];
          for (int t = 0; t < x.length; t++) {
            x[t] = (float) Math.sin(0.3 * (t + i + round));
          }
          inputs.add(x);
          String body = Loopback.infer("input", new long[] {1, x.length, 1}, x, "r" + round + "-" + i);
          requests.add(RawHttp.post("/v2/models/sine/infer", body.getBytes(StandardCharsets.UTF_8)));
          if (i == 7) {
            requests.add(("GET /v2/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          }
        }
        c.send(requests.toArray(new byte[0][]));
        for (int i = 0; i < 16; i++) {
          RawHttp.Reply r = c.read();
          assertEquals(200, r.status(), r.text());
          assertEquals("r" + round + "-" + i, Loopback.JSON.readTree(r.body()).get("id").asText());
          float[] x = inputs.get(i);
          float local = model.tensors().predict(Map.of("input", FloatTensor.of(x, 1, x.length, 1))).get("output").data()[0];
          assertEquals(Float.floatToRawIntBits(local), Float.floatToRawIntBits(Loopback.outputData(r.text(), "output")[0]));
          if (i == 7) {
            RawHttp.Reply live = c.read();
            assertEquals(200, live.status());
            assertEquals("{\"live\":true}", live.text());
          }
        }
      }
    }
  }
}

package dev.rnnx.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server's bounds over the loopback interface, on the golden sine-lstm fed long sequences (its
 * LSTM runs step by step, so 100,000 steps take a while): a full queue answers 503 at once and the
 * number of requests held never passes the bound; a request past its deadline is answered 504; an
 * oversized body 413 from its Content-Length alone; shutdown answers the requests in flight.
 */
class ModelServerLimitsTest {

  static final int LONG = 100_000;
  static RnnxModel model;
  static ExecutorService clients;

  @BeforeAll
  static void load() {
    model = RnnxModel.builder(Path.of("models/golden/sine-lstm/model.onnx")).optBatching(BatchingOptions.DEFAULTS).build();
    clients = Executors.newFixedThreadPool(40);
  }

  @AfterAll
  static void close() {
    clients.shutdownNow();
    model.close();
  }

  static ModelServer serve(ServerOptions options) {
    return ModelServer.start(Map.of("sine", model), options.withPort(0), null);
  }

  static String longRequest(int steps) {
    float[] x = new float[steps];
    for (int i = 0; i < steps; i++) {
      x[i] = (float) Math.sin(i * 0.01);
    }
    return Loopback.infer("input", new long[] {1, steps, 1}, x, null);
  }

  /** One metric's value from /metrics. */
  static long metric(Loopback http, String series) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\d+)$").matcher(http.get("/metrics").body());
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void aFullQueueAnswers503AtOnceAndHoldsNoMoreThanItsBound() throws Exception {
    try (ModelServer server = serve(ServerOptions.DEFAULTS.withQueue(4, 4).withMaxBodyBytes(16 << 20))) {
      Loopback http = new Loopback(server.port());
      String body = longRequest(LONG / 4);
      List<Future<Loopback.Reply>> replies = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        replies.add(clients.submit(() -> http.post("/v2/models/sine/infer", body)));
      }
      int ok = 0;
      int rejected = 0;
      for (Future<Loopback.Reply> f : replies) {
        Loopback.Reply r = f.get();
        if (r.status() == 200) {
          ok++;
        } else {
          assertEquals(503, r.status(), r.body());
          assertTrue(r.error().contains("at capacity (4 requests queued or running); retry later"), r.body());
          rejected++;
        }
      }
      assertTrue(ok >= 4, ok + " answered");
      assertTrue(rejected > 0, "40 long requests at once against a queue of 4: some must be refused");
      assertTrue(metric(http, "rnnx_in_flight_max") <= 4, "never more than the bound held at once");
      assertEquals(rejected, metric(http, "rnnx_rejections_total{model=\"sine\",reason=\"queue_full\"}"));
      assertEquals(200, http.post("/v2/models/sine/infer", longRequest(3)).status(), "serves again once the queue drains");
    }
  }

  @Test
  void aRequestPastItsDeadlineIs504() throws Exception {
    try (ModelServer server = serve(ServerOptions.DEFAULTS.withDeadline(Duration.ofMillis(20)).withMaxBodyBytes(16 << 20))) {
      Loopback http = new Loopback(server.port());
      long start = System.nanoTime();
      Loopback.Reply r = http.post("/v2/models/sine/infer", longRequest(LONG));
      assertEquals(504, r.status(), r.body());
      assertEquals("the request took longer than its deadline of 20 ms", r.error());
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (metric(http, "rnnx_in_flight") > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20); // the engine call already started finishes, then frees its place
      }
      assertEquals(0, metric(http, "rnnx_in_flight"));
      assertEquals(1, metric(http, "rnnx_rejections_total{model=\"sine\",reason=\"deadline\"}"));
      assertTrue(System.nanoTime() - start > 20_000_000L);
    }
  }

  @Test
  void anOversizedBodyIs413FromItsContentLengthUnread() throws Exception {
    try (ModelServer server = serve(ServerOptions.DEFAULTS.withMaxBodyBytes(1024))) {
      // a gigabyte announced, none sent: the answer comes without the server reading (or waiting for) a byte of it
      String answer = raw(server.port(), "POST /v2/models/sine/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000000000\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
      assertTrue(answer.contains("{\"error\":\"the request body is 1000000000 bytes, expected at most 1024 bytes"
          + " (rnnx serve --max-body)\"}"), answer);
      String sent = "x".repeat(2000);
      String whole = raw(server.port(), "POST /v2/models/sine/infer HTTP/1.1\r\nHost: x\r\nContent-Length: " + sent.length()
          + "\r\n\r\n" + sent);
      assertTrue(whole.startsWith("HTTP/1.1 413"), whole);
      Loopback http = new Loopback(server.port());
      assertEquals(2, metric(http, "rnnx_rejections_total{model=\"sine\",reason=\"body_too_large\"}"));
      assertEquals(200, http.post("/v2/models/sine/infer", longRequest(3)).status(), "a body under the limit is served");
    }
  }

  @Test
  void shutdownAnswersTheRequestsInFlightThenRefusesConnections() throws Exception {
    ModelServer server = serve(ServerOptions.DEFAULTS.withMaxBodyBytes(16 << 20));
    Loopback http = new Loopback(server.port());
    String body = longRequest(LONG / 4);
    List<Future<Loopback.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      replies.add(clients.submit(() -> http.post("/v2/models/sine/infer", body)));
    }
    long wait = System.nanoTime() + 30_000_000_000L;
    long inFlight;
    while ((inFlight = metric(http, "rnnx_in_flight")) < 2 && System.nanoTime() < wait) {
      Thread.sleep(1);
    }
    // the value that ended the wait: a second read could already miss a request that finished since
    assertTrue(inFlight >= 2, "requests in flight before the shutdown: " + inFlight);
    server.close();
    int answered = 0;
    for (Future<Loopback.Reply> f : replies) {
      Loopback.Reply r = f.get(); // no connection dropped mid-request
      if (r.status() == 200) {
        assertEquals("[1,1]", r.json().get("outputs").get(0).get("shape").toString());
        answered++;
      } else {
        assertEquals(503, r.status(), r.body());
        assertTrue(r.error().contains("shutting down"), r.body());
      }
    }
    assertTrue(answered >= 2, answered + " of the requests in flight answered");
    assertThrows(ConnectException.class, () -> http.get("/v2/health/live"));
  }

  /** Writes raw bytes to the server and reads its answer until it closes the connection. */
  static String raw(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketException e) {
        // reset after the answer: what was read is kept
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }
}

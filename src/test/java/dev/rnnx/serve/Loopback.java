package dev.rnnx.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A test client of a server on the loopback interface: java.net.http on HTTP/1.1. */
final class Loopback {

  static final ObjectMapper JSON = new ObjectMapper();

  /** A status and a body. */
  record Reply(int status, String body) {

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    String error() {
      return json().get("error").asText();
    }
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  Loopback(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(r.statusCode(), r.body());
  }

  /** A KServe inference request for one float tensor, each value in its shortest exact form. */
  static String infer(String input, long[] shape, float[] data, String id) {
    StringBuilder b = new StringBuilder("{");
    if (id != null) {
      b.append("\"id\":\"").append(id).append("\",");
    }
    b.append("\"inputs\":[{\"name\":\"").append(input).append("\",\"datatype\":\"FP32\",\"shape\":[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? "," : "").append(shape[i]);
    }
    b.append("],\"data\":[");
    for (int i = 0; i < data.length; i++) {
      b.append(i > 0 ? "," : "").append(Float.toString(data[i]));
    }
    return b.append("]}]}").toString();
  }

  /**
   * The {@code data} of the named output of a response, each value parsed from its JSON text with
   * {@link Float#parseFloat} (no detour through double).
   */
  static float[] outputData(String body, String output) throws IOException {
    try (JsonParser p = JSON.getFactory().createParser(body)) {
      String current = null;
      boolean inOutputs = false;
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("outputs")) {
          inOutputs = true;
        } else if (inOutputs && p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("name")) {
          p.nextToken();
          current = p.getText();
        } else if (inOutputs && p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("data")
            && output.equals(current)) {
          p.nextToken();
          List<Float> values = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(Float.parseFloat(p.getText()));
          }
          float[] out = new float[values.size()];
          for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
          }
          return out;
        }
      }
    }
    throw new AssertionError(String.format(Locale.ROOT, "no output '%s' in %s", output, body));
  }
}

package dev.rnnx.serve;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The structured access log: one JSON object per answered request, one per line ({@code time},
 * {@code remote}, {@code method}, {@code path}, {@code model}, {@code id}, {@code status},
 * {@code duration_ms}, {@code request_bytes}, {@code response_bytes}, and {@code error} for a
 * refusal). Lines are whole even when requests finish at once.
 */
final class AccessLog {

  private final PrintStream out;

  /** @param out where lines go, or {@code null} for no log */
  AccessLog(PrintStream out) {
    this.out = out;
  }

  /** Writes one line. */
  void log(Object remote, String method, String path, String model, String id, int status, long nanos, long requestBytes,
      long responseBytes, String error) {
    if (out == null) {
      return;
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("remote", String.valueOf(remote));
    line.put("method", method);
    line.put("path", path);
    line.put("model", model.isEmpty() ? null : model);
    line.put("id", id);
    line.put("status", status);
    line.put("duration_ms", Math.round(nanos / 1e4) / 100.0);
    line.put("request_bytes", requestBytes);
    line.put("response_bytes", responseBytes);
    if (error != null) {
      line.put("error", error);
    }
    String text = new String(InferenceCodec.write(line), java.nio.charset.StandardCharsets.UTF_8);
    synchronized (out) {
      out.println(text);
    }
  }
}

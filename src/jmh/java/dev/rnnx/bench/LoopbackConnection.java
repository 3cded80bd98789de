package dev.rnnx.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to a server on the loopback interface, for benchmarks: it
 * writes a POST and reads the status and the {@code Content-Length} body, and nothing else, so
 * that the figures measure the server rather than a client library. Not thread-safe: one per
 * caller thread.
 */
final class LoopbackConnection implements AutoCloseable {

  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  LoopbackConnection(int port) {
    this.port = port;
  }

  /** POSTs {@code body} as JSON to {@code path}; returns the status, the body in {@code reply}. */
  int post(String path, byte[] body, ByteArrayOutputStream reply) throws IOException {
    return post(path, body, "", reply);
  }

  /**
   * POSTs {@code body} to {@code path} with extra header lines ({@code "Name: value\r\n"} each, or
   * empty); returns the status, the body in {@code reply}.
   */
  int post(String path, byte[] body, String headers, ByteArrayOutputStream reply) throws IOException {
    if (socket == null) {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }
    String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\n" + headers + "\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    String status = line();
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean close = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    reply.reset();
    byte[] buf = new byte[8192];
    for (int left = length; left > 0; ) {
      int n = in.read(buf, 0, Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("the server closed the connection mid-answer");
      }
      reply.write(buf, 0, n);
      left -= n;
    }
    if (close) {
      close();
    }
    return code;
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}

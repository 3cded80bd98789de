package dev.rnnx.serve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client on one keep-alive loopback connection, for what java.net.http does not
 * do: pipelined requests (several written before any answer is read) and a look at raw bodies and
 * headers.
 */
final class RawHttp implements AutoCloseable {

  /** A status, the headers (names lower-cased) and the body. */
  record Reply(int status, Map<String, String> headers, byte[] body) {

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(60_000);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** The bytes of a POST with the given extra headers ({@code name: value} lines). */
  static byte[] post(String path, byte[] body, String... headers) {
    StringBuilder b = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ")
        .append(body.length).append("\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    byte[] head = b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Writes requests (one or several, back to back) in one write. */
  void send(byte[]... requests) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] r : requests) {
      all.writeBytes(r);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** Reads the next answer. */
  Reply read() throws IOException {
    String status = line();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    return new Reply(Integer.parseInt(status.substring(9, 12)), headers, body);
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
    socket.close();
  }
}

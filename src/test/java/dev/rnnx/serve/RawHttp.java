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
    String[] head = head().split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    return new Reply(Integer.parseInt(head[0].substring(9, 12)), headers, body);
  }

  /** The status line and headers of the next answer, up to the blank line that ends them. */
  private String head() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int c = in.read();
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      b.write(c);
      last4 = (last4 << 8) | c;
    }
    return b.toString(StandardCharsets.ISO_8859_1).strip();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

package dev.rnnx.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to a server on the loopback interface, for benchmarks. A
 * request is encoded once, in advance ({@link #request}: request line, headers and body in one
 * array), and sent with one socket write, so the server reads it in one segment; the answer is read
 * into a reused buffer, its status line and {@code Content-Length} parsed from the bytes, and its
 * whole body read. No client library, no per-request strings: the figures measure the server, not
 * the client. Not thread-safe: one per caller thread.
 */
final class LoopbackConnection implements AutoCloseable {

  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private byte[] buf = new byte[1 << 16];
  private int length;
  private int bodyStart;
  private int bodyLength;
  private boolean close;

  LoopbackConnection(int port) {
    this.port = port;
  }

  /**
   * A POST of {@code body} to {@code path}, encoded once: the request line, {@code Host},
   * {@code Content-Type} (JSON), {@code Content-Length}, extra header lines ({@code "Name: value\r\n"}
   * each, or empty), then the body.
   */
  static byte[] request(String path, byte[] body, String headers) {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /**
   * Sends one request made by {@link #request} and reads its whole answer; returns the status. The
   * body is then {@link #body()} and {@link #bodyLength()} bytes long.
   */
  int send(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }
    out.write(request);
    length = 0;
    int headEnd;
    while ((headEnd = headEnd()) < 0) {
      fill();
    }
    int code = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    int contentLength = -1;
    close = false;
    for (int i = lineAfter(0); i < headEnd; i = lineAfter(i)) {
      if (startsWithIgnoreCase(i, "content-length:")) {
        contentLength = 0;
        for (int k = i + 15; buf[k] != '\r'; k++) {
          if (buf[k] >= '0' && buf[k] <= '9') {
            contentLength = contentLength * 10 + (buf[k] - '0');
          }
        }
      } else if (startsWithIgnoreCase(i, "connection: close")) {
        close = true;
      }
    }
    if (contentLength < 0) {
      throw new IOException("the answer has no Content-Length");
    }
    bodyStart = headEnd + 4;
    bodyLength = contentLength;
    if (bodyStart + contentLength > buf.length) {
      byte[] bigger = new byte[bodyStart + contentLength];
      System.arraycopy(buf, 0, bigger, 0, length);
      buf = bigger;
    }
    while (length < bodyStart + contentLength) {
      fill();
    }
    if (length != bodyStart + contentLength) {
      throw new IOException("the server sent " + (length - bodyStart - contentLength) + " bytes past the answer");
    }
    if (close) {
      close();
    }
    return code;
  }

  /** The last answer's buffer; its body starts at {@link #bodyStart()}. */
  byte[] body() {
    return buf;
  }

  int bodyStart() {
    return bodyStart;
  }

  int bodyLength() {
    return bodyLength;
  }

  /** The last answer's body as text, for messages. */
  String bodyText() {
    return new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8);
  }

  private void fill() throws IOException {
    if (length == buf.length) {
      buf = java.util.Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, length, buf.length - length);
    if (n < 0) {
      throw new IOException("the server closed the connection mid-answer");
    }
    length += n;
  }

  /** The index of the blank line's {@code \r\n\r\n} ending the head, or -1 while not all read. */
  private int headEnd() {
    for (int i = 0; i + 3 < length; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private int lineAfter(int i) {
    while (buf[i] != '\n') {
      i++;
    }
    return i + 1;
  }

  private boolean startsWithIgnoreCase(int at, String prefix) {
    for (int k = 0; k < prefix.length(); k++) {
      if (at + k >= length || Character.toLowerCase((char) buf[at + k]) != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }
}

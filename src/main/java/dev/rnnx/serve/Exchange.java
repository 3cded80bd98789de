package dev.rnnx.serve;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request and its one answer: whichever of the work, the deadline timer or a refusal answers
 * first wins ({@link #respond} returns {@code false} to the others). Each answer is counted in the
 * metrics and written to the access log, and written to the connection after the answers to the
 * requests the client sent before it ({@link ResponseOrder}). Thread-safe; made on the event loop.
 */
final class Exchange {

  /** JSON bodies. */
  static final String JSON = "application/json";

  /** A body of JSON followed by binary tensor data. */
  static final String OCTETS = "application/octet-stream";

  private final ChannelHandlerContext ctx;
  private final String method;
  private final String path;
  private final boolean keepAlive;
  private final long start;
  private final long requestBytes;
  private final ServerMetrics metrics;
  private final AccessLog log;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final ResponseOrder order;
  private final int number;
  private volatile String model = "";
  private volatile String endpoint = "";
  private volatile String id;

  Exchange(ChannelHandlerContext ctx, String method, String path, boolean keepAlive, long start, long requestBytes,
      ServerMetrics metrics, AccessLog log) {
    this.ctx = ctx;
    this.method = method;
    this.path = path;
    this.keepAlive = keepAlive;
    this.start = start;
    this.requestBytes = requestBytes;
    this.metrics = metrics;
    this.log = log;
    this.order = ResponseOrder.of(ctx.channel());
    this.number = order.next(); // made on the event loop, in the order the connection's requests arrive
  }

  ChannelHandlerContext context() {
    return ctx;
  }

  String path() {
    return path;
  }

  long start() {
    return start;
  }

  /** Names the model and endpoint for the metrics and the log. */
  void target(String model, String endpoint) {
    this.model = model;
    this.endpoint = endpoint;
  }

  String model() {
    return model;
  }

  /** The request's own {@code id}, once read. */
  void id(String id) {
    this.id = id;
  }

  /** Whether the request has been answered. */
  boolean answered() {
    return answered.get();
  }

  /** Answers with a KServe error body {@code {"error": message}}; {@code false} if already answered. */
  boolean error(int status, String message) {
    return respond(status, InferenceCodec.error(message), JSON, message, keepAlive);
  }

  /** Answers with an error and closes the connection afterwards. */
  boolean errorAndClose(int status, String message) {
    return respond(status, InferenceCodec.error(message), JSON, message, false);
  }

  /** Answers 200 with a body. */
  boolean ok(byte[] body, String contentType) {
    return respond(200, body, contentType, null, keepAlive, -1);
  }

  /**
   * Answers 200 with an inference response: JSON, or (binary tensor data) its JSON part's length in
   * {@code Inference-Header-Content-Length} and {@code application/octet-stream}.
   */
  boolean ok(InferenceCodec.Encoded encoded) {
    return respond(200, encoded.body(), encoded.headerLength() < 0 ? JSON : OCTETS, null, keepAlive, encoded.headerLength());
  }

  private boolean respond(int status, byte[] body, String contentType, String error, boolean keep) {
    return respond(status, body, contentType, error, keep, -1);
  }

  private boolean respond(int status, byte[] body, String contentType, String error, boolean keep, int headerLength) {
    if (!answered.compareAndSet(false, true)) {
      return false;
    }
    long nanos = System.nanoTime() - start;
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    if (headerLength >= 0) {
      r.headers().setInt(BinaryTensors.HEADER, headerLength);
    }
    r.headers().set(HttpHeaderNames.CONNECTION, keep ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    Runnable write = () -> {
      var written = ctx.writeAndFlush(r);
      if (!keep) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    };
    if (ctx.executor().inEventLoop()) {
      order.write(number, write);
    } else {
      ctx.executor().execute(() -> order.write(number, write));
    }
    metrics.request(model, endpoint, status, nanos);
    log.log(ctx.channel().remoteAddress(), method, path, model, id, status, nanos, requestBytes, body.length, error);
    return true;
  }
}

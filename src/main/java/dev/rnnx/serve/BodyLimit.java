package dev.rnnx.serve;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Netty's aggregator with the server's body limit: a request whose {@code Content-Length} is over
 * {@link ServerOptions#maxBodyBytes} is answered 413 with a KServe error body before any of its
 * body is read (a chunked one as soon as it passes the limit), and the connection is closed.
 */
final class BodyLimit extends HttpObjectAggregator {

  private final ModelServer server;

  BodyLimit(ModelServer server) {
    super((int) server.options().maxBodyBytes());
    this.server = server;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    String method = oversized instanceof HttpRequest r ? r.method().name() : "?";
    String path = oversized instanceof HttpRequest r ? RequestHandler.path(r.uri()) : "?";
    long length = io.netty.handler.codec.http.HttpUtil.getContentLength(oversized, -1L);
    Exchange ex = new Exchange(ctx, method, path, false, System.nanoTime(), Math.max(0, length), server.metrics(),
        server.accessLog());
    String model = RequestHandler.modelOf(path, server.models());
    ex.target(model, RequestHandler.endpointOf(path));
    server.metrics().rejection(model, "body_too_large");
    ex.errorAndClose(413, "the request body is " + (length >= 0 ? length + " bytes" : "larger than the limit") + ", expected at most "
        + server.options().maxBodyBytes() + " bytes (rnnx serve --max-body)");
  }
}

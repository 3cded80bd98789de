package dev.rnnx.serve;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests a connection has begun (its headers read, its body perhaps still arriving)
 * and not yet answered, so that a graceful shutdown waits for those too, not only for the work
 * already queued. One per connection; runs on its event loop.
 */
final class RequestTracker extends ChannelDuplexHandler {

  private final AtomicInteger open;
  private boolean active;

  /** @param open the server's count of requests begun and not answered */
  RequestTracker(AtomicInteger open) {
    this.open = open;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest && !active) {
      active = true;
      open.incrementAndGet();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse && active) {
      active = false;
      promise.addListener(f -> open.decrementAndGet());
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (active) {
      active = false;
      open.decrementAndGet();
    }
    super.channelInactive(ctx);
  }
}

package dev.rnnx.serve;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps one connection's answers in the order of its requests, as HTTP/1.1 requires of a client
 * that pipelines (sends its next request before the answer to the previous one): each request takes
 * a number when it is read ({@link #next}); an answer that is ready before an earlier one is held
 * until that one has been written. One per connection, used only on its event loop.
 */
final class ResponseOrder {

  private static final AttributeKey<ResponseOrder> KEY = AttributeKey.valueOf("rnnx.responseOrder");

  private int issued;
  private int written;
  private final Map<Integer, Runnable> held = new HashMap<>();

  /** The connection's order, made on first use (on its event loop). */
  static ResponseOrder of(Channel channel) {
    ResponseOrder o = channel.attr(KEY).get();
    if (o == null) {
      o = new ResponseOrder();
      channel.attr(KEY).set(o);
    }
    return o;
  }

  /** The number of the request just read. */
  int next() {
    return issued++;
  }

  /** Writes answer {@code number} now if every earlier one is written, else when they are; then any held after it. */
  void write(int number, Runnable write) {
    if (number != written) {
      held.put(number, write);
      return;
    }
    write.run();
    written++;
    for (Runnable r = held.remove(written); r != null; r = held.remove(written)) {
      r.run();
      written++;
    }
  }

  /** Answers held for earlier ones still running. */
  int held() {
    return held.size();
  }
}

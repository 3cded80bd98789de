package dev.rnnx.serve;

import dev.rnnx.djl.BatchingStats;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.spec.InvalidInputException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP server speaking the Open Inference Protocol (KServe v2 REST) over {@link RnnxModel}s,
 * on Netty's HTTP/1.1 codec (docs/SERVING.md lists the endpoints), over Linux's epoll directly
 * where Netty's native transport loads ({@link Epoll#isAvailable}), else over Java NIO.
 *
 * <p>Netty's event loops read requests (a body over {@link ServerOptions#maxBodyBytes} is answered
 * 413 from its {@code Content-Length}, unread) and answer the cheap ones (health, metadata,
 * metrics) at once. Model work passes one bounded admission counter: when {@link
 * ServerOptions#maxQueued} requests are already queued or running, the next is answered 503 at
 * once, so memory does not grow with the load. An {@code infer} request to a model with dynamic
 * batching is read, checked and queued on the batcher by the event loop itself, and answered from
 * the batch's completion ({@link #submitAsync}): no thread waits for it. Other model work
 * ({@code generate}, {@code most_similar}, a model without batching) runs on a pool of request
 * threads ({@link #submit}). Each admitted request has a
 * deadline timer; past it, 504. The models' predictor pools and dynamic batchers do the engine work.
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(Map.of("sine", model), ServerOptions.DEFAULTS.withPort(0), System.err)) {
 *   int port = server.port();   // POST http://127.0.0.1:<port>/v2/models/sine/infer
 * }
 * }</pre>
 *
 * <p>{@link #close} is graceful: it stops accepting, refuses new requests with 503, waits for those
 * in flight (up to {@link ServerOptions#drainTimeout}), then stops. It does not close the models.
 */
public final class ModelServer implements AutoCloseable {

  private final Map<String, ServedModel> models;
  private final ServerOptions options;
  private final ServerMetrics metrics = new ServerMetrics();
  private final AccessLog log;
  private final Semaphore permits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final ThreadPoolExecutor workers;
  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final Channel channel;
  private volatile boolean draining;
  private boolean closed;

  private ModelServer(Map<String, RnnxModel> models, ServerOptions options, PrintStream accessLog) {
    Map<String, ServedModel> served = new LinkedHashMap<>();
    models.forEach((name, m) -> served.put(name, new ServedModel(name, m)));
    this.models = Map.copyOf(served);
    this.options = options;
    this.log = new AccessLog(accessLog);
    this.permits = new Semaphore(options.maxQueued());
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(options.threads(), options.threads(), 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "rnnx-serve-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    int loops = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    boolean epoll = Epoll.isAvailable();
    this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    this.io = epoll ? new EpollEventLoopGroup(loops) : new NioEventLoopGroup(loops);
    RequestHandler handler = new RequestHandler(this);
    try {
      this.channel = new ServerBootstrap().group(boss, io)
          .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(new HttpServerCodec(), new RequestTracker(open), new BodyLimit(ModelServer.this), handler);
            }
          })
          .bind(options.host(), options.port()).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      stopThreads();
      throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts serving.
   *
   * @param models the models by the name clients use in {@code /v2/models/{name}}
   * @param accessLog where JSON access-log lines go, or {@code null} for none
   * @throws IllegalArgumentException when the address cannot be bound
   */
  public static ModelServer start(Map<String, RnnxModel> models, ServerOptions options, PrintStream accessLog) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no models to serve, expected at least one");
    }
    return new ModelServer(models, options, accessLog);
  }

  /** The transport its event loops run on: {@code "epoll"} (Linux, Netty's native transport) or {@code "nio"}. */
  public String transport() {
    return channel instanceof EpollServerSocketChannel ? "epoll" : "nio";
  }

  /** The port it listens on. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The models by name. */
  Map<String, ServedModel> models() {
    return models;
  }

  ServerOptions options() {
    return options;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  AccessLog accessLog() {
    return log;
  }

  /** Whether it is shutting down: not ready, refusing new work. */
  boolean draining() {
    return draining;
  }

  /** The metrics text. */
  String renderMetrics() {
    Map<String, BatchingStats> batching = new java.util.TreeMap<>();
    models.forEach((name, m) -> batching.put(name, m.model().batchingStats()));
    return metrics.render(batching, inFlight.get(), options.maxQueued());
  }

  /**
   * Admits model work, or answers 503 at once when the queue is full or the server is draining; an
   * admitted request is answered by its work, its failure, or 504 at its deadline.
   */
  void submit(Exchange ex, String model, byte[] body, Function<byte[], InferenceCodec.Encoded> work) {
    if (!admit(ex, model)) {
      return;
    }
    ScheduledFuture<?> timer = deadline(ex, model);
    try {
      workers.execute(() -> {
        try {
          if (!ex.answered()) { // past its deadline while queued: not run
            InferenceCodec.Encoded out = work.apply(body);
            timer.cancel(false);
            ex.ok(out);
          }
        } catch (RuntimeException | Error e) {
          timer.cancel(false);
          fail(ex, e);
        } finally {
          release();
        }
      });
    } catch (RejectedExecutionException e) {
      timer.cancel(false);
      release();
      ex.errorAndClose(503, "the server is shutting down; retry on another instance");
    }
  }

  /**
   * Admits model work that does not block, in the calling event loop: 503 at once when the queue is
   * full or the server is draining; else {@code start} reads the request and queues it on the
   * model's batcher (a refusal it throws is answered at once), and the request is answered when its
   * future completes, by its failure, or 504 at its deadline. No thread waits on the engine.
   */
  void submitAsync(Exchange ex, String model, java.util.function.Supplier<CompletableFuture<InferenceCodec.Encoded>> start) {
    if (!admit(ex, model)) {
      return;
    }
    CompletableFuture<InferenceCodec.Encoded> work;
    try {
      work = start.get();
    } catch (RuntimeException | Error e) {
      release();
      fail(ex, e);
      return;
    }
    ScheduledFuture<?> timer = deadline(ex, model);
    work.whenComplete((out, e) -> {
      timer.cancel(false);
      try {
        if (e == null) {
          ex.ok(out);
        } else {
          fail(ex, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        }
      } finally {
        release();
      }
    });
  }

  /** Takes a place in the queue, or answers 503 (draining, or the queue full) and returns {@code false}. */
  private boolean admit(Exchange ex, String model) {
    if (draining) {
      metrics.rejection(model, "shutting_down");
      ex.errorAndClose(503, "the server is shutting down; retry on another instance");
      return false;
    }
    if (!permits.tryAcquire()) {
      metrics.rejection(model, "queue_full");
      ex.error(503, "the server is at capacity (" + options.maxQueued() + " requests queued or running); retry later");
      return false;
    }
    metrics.inFlight(inFlight.incrementAndGet());
    return true;
  }

  /** Gives back an admitted request's place in the queue. */
  private void release() {
    inFlight.decrementAndGet();
    permits.release();
  }

  /** The timer that answers 504 at the request's deadline, counted from its arrival. */
  private ScheduledFuture<?> deadline(Exchange ex, String model) {
    long left = options.deadline().toNanos() - (System.nanoTime() - ex.start());
    return ex.context().executor().schedule(() -> {
      if (ex.error(504, "the request took longer than its deadline of " + options.deadline().toMillis() + " ms")) {
        metrics.rejection(model, "deadline");
      }
    }, Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  /** Answers a failed request: 4xx for the client's mistakes, 503 for a closed model, 500 (one line) for rnnx's own. */
  static void fail(Exchange ex, Throwable e) {
    if (e instanceof ApiException a) {
      ex.error(a.status(), a.getMessage());
    } else if (e instanceof InvalidInputException || e instanceof IllegalArgumentException) {
      ex.error(400, oneLine(e.getMessage()));
    } else if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("closed")) {
      ex.error(503, "model '" + ex.model() + "' is closed; the server is shutting down");
    } else {
      System.err.println("rnnx serve: internal error on " + ex.path() + ":");
      e.printStackTrace();
      ex.error(500, "internal error in rnnx: " + e.getClass().getSimpleName() + ": " + oneLine(String.valueOf(e.getMessage())));
    }
  }

  static String oneLine(String message) {
    return message == null ? "" : String.join("; ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
  }

  /**
   * Stops gracefully: no new connections, new requests refused with 503, requests in flight
   * answered (waiting up to the drain timeout), then the threads stopped. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    draining = true;
    channel.close().syncUninterruptibly();
    long until = System.nanoTime() + options.drainTimeout().toNanos();
    try {
      while ((open.get() > 0 || inFlight.get() > 0) && System.nanoTime() < until) {
        Thread.sleep(5); // requests begun (even those whose body is still arriving) are answered; new ones get 503
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopThreads();
  }

  private void stopThreads() {
    workers.shutdown();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    io.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    boss.terminationFuture().syncUninterruptibly();
  }
}

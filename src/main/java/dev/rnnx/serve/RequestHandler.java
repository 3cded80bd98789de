package dev.rnnx.serve;

import dev.rnnx.weights.Provenance;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes each request of the Open Inference Protocol (KServe v2 REST) on Netty's event loop:
 * health, server and model metadata and metrics are answered at once; {@code infer},
 * {@code generate} and {@code most_similar} go to {@link ModelServer#submit}. An unknown path,
 * model or version is 404, a wrong method 405, each with a KServe error body.
 */
@ChannelHandler.Sharable
final class RequestHandler extends ChannelInboundHandlerAdapter {

  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  private static final List<String> WORK = List.of("infer", "generate", "most_similar");

  private final ModelServer server;
  private final byte[] serverMetadata;

  RequestHandler(ModelServer server) {
    this.server = server;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "rnnx");
    m.put("version", Provenance.libraryVersions().getOrDefault("rnnx", "unknown"));
    m.put("extensions", List.of("model_repository_metadata", "binary_tensor_data", "generate", "most_similar"));
    this.serverMetadata = InferenceCodec.write(m);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      String path = path(req.uri());
      Exchange ex = new Exchange(ctx, req.method().name(), path, HttpUtil.isKeepAlive(req), System.nanoTime(),
          req.content().readableBytes(), server.metrics(), server.accessLog());
      if (!req.decoderResult().isSuccess()) {
        ex.errorAndClose(400, "malformed HTTP request: " + ModelServer.oneLine(String.valueOf(req.decoderResult().cause())));
        return;
      }
      String binary = req.headers().get(BinaryTensors.HEADER);
      route(ex, req.method(), path, ByteBufUtil.getBytes(req.content()), binary);
    } finally {
      req.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset connection or a broken frame: nothing to answer
  }

  private void route(Exchange ex, HttpMethod method, String path, byte[] body, String binaryHeader) {
    List<String> s = segments(path);
    ex.target(modelOf(path, server.models()), endpointOf(path));
    try {
      if (s.equals(List.of("v2"))) {
        get(method, path);
        ex.ok(serverMetadata, Exchange.JSON);
      } else if (s.equals(List.of("v2", "health", "live"))) {
        get(method, path);
        ex.ok(InferenceCodec.write(Map.of("live", true)), Exchange.JSON);
      } else if (s.equals(List.of("v2", "health", "ready"))) {
        get(method, path);
        if (server.draining()) {
          ex.error(503, "the server is shutting down");
        } else {
          ex.ok(InferenceCodec.write(Map.of("ready", true)), Exchange.JSON);
        }
      } else if (s.equals(List.of("metrics"))) {
        get(method, path);
        ex.ok(server.renderMetrics().getBytes(StandardCharsets.UTF_8), PROMETHEUS);
      } else if (s.size() >= 3 && s.get(0).equals("v2") && s.get(1).equals("models")) {
        model(ex, method, path, s, body, binaryHeader);
      } else {
        throw ApiException.notFound("no endpoint " + path + ", expected /v2, /v2/health/live, /v2/health/ready,"
            + " /v2/models/{name}[/versions/1][/ready|/infer|/generate|/most_similar] or /metrics");
      }
    } catch (RuntimeException e) {
      ModelServer.fail(ex, e);
    }
  }

  private void model(Exchange ex, HttpMethod method, String path, List<String> s, byte[] body, String binaryHeader) {
    ServedModel m = server.models().get(s.get(2));
    if (m == null) {
      throw ApiException.notFound("unknown model '" + s.get(2) + "', expected one of " + server.models().keySet().stream().sorted().toList());
    }
    List<String> rest = new ArrayList<>(s.subList(3, s.size()));
    if (rest.size() >= 2 && rest.get(0).equals("versions")) {
      if (!rest.get(1).equals(ServedModel.VERSION)) {
        throw ApiException.notFound("model '" + m.name() + "' has no version '" + rest.get(1) + "', expected " + ServedModel.VERSION);
      }
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty()) {
      get(method, path);
      ex.ok(m.metadata(), Exchange.JSON);
    } else if (rest.equals(List.of("ready"))) {
      get(method, path);
      ex.ok(InferenceCodec.write(Map.of("name", m.name(), "ready", !server.draining())), Exchange.JSON);
    } else if (rest.size() == 1 && WORK.contains(rest.get(0))) {
      if (!method.equals(HttpMethod.POST)) {
        throw new ApiException(405, method + " " + path + " is not allowed, expected POST");
      }
      String endpoint = rest.get(0);
      if (binaryHeader != null && !endpoint.equals("infer")) {
        throw ApiException.badRequest(BinaryTensors.HEADER + " is given on /" + endpoint + ", expected it only on /infer"
            + " (binary tensor data)");
      }
      int headerLength = binaryHeader == null ? -1 : BinaryTensors.headerLength(binaryHeader, body.length);
      if (endpoint.equals("infer") && m.asynchronous()) {
        server.submitAsync(ex, m.name(), () -> m.inferAsync(body, headerLength, ex::id, ex.context().executor()));
        return;
      }
      server.submit(ex, m.name(), body, json -> switch (endpoint) {
        case "infer" -> m.infer(json, headerLength, ex::id);
        case "generate" -> new InferenceCodec.Encoded(m.generate(json), -1);
        default -> new InferenceCodec.Encoded(m.mostSimilar(json), -1);
      });
    } else {
      throw ApiException.notFound("no endpoint " + path + " for model '" + m.name() + "', expected /ready, /infer, /generate"
          + " or /most_similar");
    }
  }

  private static void get(HttpMethod method, String path) {
    if (!method.equals(HttpMethod.GET)) {
      throw new ApiException(405, method + " " + path + " is not allowed, expected GET");
    }
  }

  /** The path of a request URI, without its query. */
  static String path(String uri) {
    return new QueryStringDecoder(uri).path();
  }

  private static List<String> segments(String path) {
    List<String> s = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        s.add(part);
      }
    }
    return s;
  }

  /** The served model a path names, or {@code ""} (so that metrics never carry a client's invented name). */
  static String modelOf(String path, Map<String, ?> models) {
    List<String> s = segments(path);
    return s.size() >= 3 && s.get(0).equals("v2") && s.get(1).equals("models") && models.containsKey(s.get(2)) ? s.get(2) : "";
  }

  /** The endpoint a path names, for the metrics' {@code endpoint} label. */
  static String endpointOf(String path) {
    List<String> s = segments(path);
    if (s.size() >= 3 && s.get(0).equals("v2") && s.get(1).equals("models")) {
      String last = s.get(s.size() - 1);
      return WORK.contains(last) || last.equals("ready") ? last : "metadata";
    }
    if (s.equals(List.of("v2"))) {
      return "server_metadata";
    }
    if (s.size() == 3 && s.get(1).equals("health")) {
      return s.get(2).equals("live") ? "live" : "ready";
    }
    return s.equals(List.of("metrics")) ? "metrics" : "other";
  }
}

package dev.rnnx.cli;

import dev.rnnx.djl.BatchingOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.serve.ModelServer;
import dev.rnnx.serve.ServerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code rnnx serve MODEL... [--port P]}: serves run folders, {@code .onnx} files and SavedModels
 * over HTTP on the Open Inference Protocol ({@link ModelServer}) until stopped (Ctrl-C or
 * SIGTERM: requests in flight are answered first). Each model is loaded with a pool of predictors
 * and dynamic batching; a path that is no model, or two models with one name, exit {@link
 * ExitCodes#BAD_INPUT} before anything listens.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    header = "Serve models over HTTP (Open Inference Protocol, KServe v2).",
    description = "Serve run folders, .onnx files and SavedModels over HTTP on the Open Inference Protocol (KServe v2"
        + " REST): /v2/models/NAME/infer with typed tensors, /generate for a seq2seq run, /most_similar for a word2vec"
        + " run, health, metadata and /metrics. Runs until stopped; Ctrl-C drains the requests in flight."
        + " See docs/SERVING.md.")
final class ServeCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "MODEL",
      description = "A run folder, a .onnx file or a SavedModel folder, served under its file name (without .onnx);"
          + " NAME=PATH names it.")
  List<String> models;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "8388608",
      description = "Largest request body; a larger one is answered 413 unread (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--deadline-ms", paramLabel = "MS", defaultValue = "30000",
      description = "Per-request deadline; past it the answer is 504 (default: ${DEFAULT-VALUE}).")
  long deadlineMs;

  @Option(names = "--queue", paramLabel = "N", defaultValue = "256",
      description = "Requests queued or running at once; one more is answered 503 (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "64",
      description = "Request threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--pool", paramLabel = "N", defaultValue = "2",
      description = "Engine predictors per model form (default: ${DEFAULT-VALUE}).")
  int pool;

  @Option(names = "--no-batching", description = "Run each request alone instead of merging concurrent ones.")
  boolean noBatching;

  @Option(names = "--access-log", paramLabel = "FILE", defaultValue = "-",
      description = "JSON lines access log: a file (appended), - for stdout, none to turn it off (default: ${DEFAULT-VALUE}).")
  String accessLog;

  @Override
  public Integer call() throws InterruptedException {
    ServerOptions options = new ServerOptions(host, port, maxBody, Duration.ofMillis(deadlineMs), queue, threads,
        ServerOptions.DEFAULTS.drainTimeout());
    Map<String, Path> paths = named(models);
    PrintStream log = accessLog();
    Map<String, RnnxModel> loaded = new LinkedHashMap<>();
    try {
      paths.forEach((name, path) -> loaded.put(name, RnnxModel.builder(path).optPoolSize(pool)
          .optBatching(noBatching ? null : BatchingOptions.DEFAULTS).build()));
    } catch (RuntimeException e) {
      closeAll(loaded.values());
      throw e;
    }
    ModelServer server;
    try {
      server = ModelServer.start(loaded, options, log);
    } catch (RuntimeException e) {
      closeAll(loaded.values());
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("rnnx serve: shutting down, answering the requests in flight");
      server.close();
      closeAll(loaded.values());
      stopped.countDown();
    }, "rnnx-serve-shutdown"));
    System.err.println("rnnx serve: listening on http://" + host + ":" + server.port() + " for " + String.join(", ", loaded.keySet())
        + " (POST /v2/models/NAME/infer; Ctrl-C to stop)");
    stopped.await();
    return ExitCodes.OK;
  }

  /** Model names to paths: {@code NAME=PATH}, or the path's file name without {@code .onnx}. */
  static Map<String, Path> named(List<String> args) {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String arg : args) {
      String name;
      Path path;
      int eq = arg.indexOf('=');
      if (eq > 0 && !Files.exists(Path.of(arg))) {
        name = arg.substring(0, eq);
        path = Path.of(arg.substring(eq + 1));
      } else {
        path = Path.of(arg);
        Path file = path.toAbsolutePath().normalize().getFileName();
        name = file == null ? "model" : file.toString().replaceFirst("\\.onnx$", "");
      }
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
        throw new IllegalArgumentException("model name '" + name + "' (from " + arg + ") is not usable in a URL path, expected"
            + " letters, digits, '_', '.' and '-'; name it with NAME=PATH");
      }
      if (!Files.exists(path)) {
        throw new IllegalArgumentException(path + ": does not exist, expected a run folder, a .onnx file or a SavedModel folder");
      }
      if (out.put(name, path) != null) {
        throw new IllegalArgumentException("two models are named '" + name + "' (" + out.get(name) + " and an earlier one),"
            + " expected one name each; name them with NAME=PATH");
      }
    }
    return out;
  }

  private PrintStream accessLog() {
    if (accessLog.equals("none")) {
      return null;
    }
    if (accessLog.equals("-")) {
      return System.out;
    }
    try {
      return new PrintStream(Files.newOutputStream(Path.of(accessLog), StandardOpenOption.CREATE, StandardOpenOption.APPEND),
          true, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(accessLog + ": cannot open the access log (" + e.getMessage() + "), expected a writable file");
    }
  }

  private static void closeAll(Iterable<RnnxModel> models) {
    List<RuntimeException> failures = new ArrayList<>();
    for (RnnxModel m : models) {
      try {
        m.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    failures.forEach(e -> System.err.println("rnnx serve: closing a model failed: " + e.getMessage()));
  }
}

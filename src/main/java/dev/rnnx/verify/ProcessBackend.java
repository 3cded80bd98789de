package dev.rnnx.verify;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import dev.rnnx.tensorio.TestDataSet;
import dev.rnnx.tensorio.TypedTensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A backend run in a child JVM (same Java, same classpath), so that a model that makes native code
 * abort, crash or hang takes down only the child: the call then throws
 * {@link BackendCrashedException} with the exit status and the child's last words on standard
 * error, and the parent goes on. Tensors travel as {@code TensorProto} files
 * ({@link BackendWorker} has the protocol).
 *
 * <p>Models from elsewhere are untrusted: {@code rnnx verify --onnx F --saved-model D} runs every
 * native backend this way. Starting a child costs a JVM start and the backend's own load, about
 * 1–3 s; {@link #startAll} starts several at once.
 */
public final class ProcessBackend implements OnnxFileBackend {

  /** How long a child may take to load its backend or to answer one request, unless told otherwise. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 300;

  private final BackendSpec spec;
  private final String main;
  private final long timeoutSeconds;
  private final Process process;
  private final Writer toChild;
  private final BlockingQueue<String> replies = new ArrayBlockingQueue<>(16);
  private final Path work;
  private final Path stderr;
  private String name;
  private int runs;
  private String dead;

  private ProcessBackend(BackendSpec spec, String main, long timeoutSeconds) {
    this.spec = spec;
    this.main = main;
    this.timeoutSeconds = timeoutSeconds;
    this.name = spec.name();
    try {
      this.work = Files.createTempDirectory("rnnx-" + spec.name() + "-");
      this.stderr = work.resolve("stderr.log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("-Djava.awt.headless=true");
      cmd.add("-XX:+UseSerialGC");
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-XX:ErrorFile=" + work.toAbsolutePath() + "/hs_err_%p.log"); // never in the user's directory
      cmd.add(main);
      cmd.addAll(List.of(spec.toArgs()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
      pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
      this.process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a child JVM for backend " + spec.name(), e);
    }
    this.toChild = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readReplies, "rnnx-" + spec.name() + "-replies");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a child JVM running {@code spec}'s backend and waits until it has loaded.
   *
   * @param opener names the child's main class ({@link BackendOpener#workerMain()})
   * @throws IllegalArgumentException when the child refuses the artifact (as the backend would here)
   * @throws BackendCrashedException when the child dies or does not answer in time
   */
  public static ProcessBackend start(BackendSpec spec, BackendOpener opener) {
    ProcessBackend p = new ProcessBackend(spec, opener.workerMain(), DEFAULT_TIMEOUT_SECONDS);
    p.awaitReady();
    return p;
  }

  /** Starts a child with another worker main class (tests: a worker that dies on purpose). */
  static ProcessBackend start(BackendSpec spec, String workerMain, long timeoutSeconds) {
    ProcessBackend p = new ProcessBackend(spec, workerMain, timeoutSeconds);
    p.awaitReady();
    return p;
  }

  /**
   * Starts several children at once and waits for each. A spec whose child fails to load is
   * reported in {@code failures} (by backend name) instead of being returned.
   */
  public static List<ProcessBackend> startAll(List<BackendSpec> specs, BackendOpener opener, Map<String, String> failures) {
    List<ProcessBackend> started = new ArrayList<>();
    for (BackendSpec s : specs) {
      try {
        started.add(new ProcessBackend(s, opener.workerMain(), DEFAULT_TIMEOUT_SECONDS));
      } catch (RuntimeException e) {
        failures.put(s.name(), e.getMessage());
      }
    }
    List<ProcessBackend> ready = new ArrayList<>();
    for (ProcessBackend p : started) {
      try {
        p.awaitReady();
        ready.add(p);
      } catch (RuntimeException e) {
        failures.put(p.spec.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
        p.close();
      }
    }
    return ready;
  }

  private void readReplies() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(BackendWorker.PREFIX)) {
          replies.put(line.substring(BackendWorker.PREFIX.length()));
        }
      }
    } catch (IOException | InterruptedException e) {
      // the child is gone; the waiting side sees the end of input below
    }
    replies.offer("EOF");
  }

  private void awaitReady() {
    String reply = await("loading " + spec.name());
    if (reply.startsWith("READY ")) {
      name = reply.substring(6);
      return;
    }
    close();
    throw failure(reply, "loading");
  }

  private String await(String what) {
    String reply;
    try {
      reply = replies.poll(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply = null;
    }
    if (reply == null) {
      process.destroyForcibly();
      dead = "backend " + name + " did not answer within " + timeoutSeconds + " s while " + what
          + "; its child process was killed" + lastWords();
      throw new BackendCrashedException(dead, -1);
    }
    if (reply.equals("EOF")) {
      int code;
      try {
        process.waitFor(10, TimeUnit.SECONDS);
        code = process.isAlive() ? -1 : process.exitValue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        code = -1;
      }
      dead = "backend " + name + "'s child process died with exit status " + code + describeSignal(code) + " while "
          + what + lastWords();
      throw new BackendCrashedException(dead, code);
    }
    return reply;
  }

  private static String describeSignal(int code) {
    return switch (code) {
      case 134 -> " (SIGABRT: a native abort)";
      case 139 -> " (SIGSEGV: a native crash)";
      case 137 -> " (SIGKILL)";
      case 136 -> " (SIGFPE)";
      case 135 -> " (SIGBUS)";
      default -> "";
    };
  }

  private RuntimeException failure(String reply, String what) {
    String rest = reply.startsWith("FAIL ") ? reply.substring(5) : reply;
    int space = rest.indexOf(' ');
    String kind = space < 0 ? rest : rest.substring(0, space);
    String message = space < 0 ? "" : rest.substring(space + 1);
    if (kind.equals("IllegalArgumentException")) {
      return new IllegalArgumentException(message);
    }
    return new IllegalStateException(name + " failed " + what + " (in its child process): " + kind + ": " + message);
  }

  private String lastWords() {
    try {
      if (!Files.exists(stderr)) {
        return "";
      }
      List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("SLF4J")).toList();
      if (lines.isEmpty()) {
        return "";
      }
      return "; its last words: " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The backend this child runs. */
  public BackendSpec spec() {
    return spec;
  }

  @Override
  public synchronized Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
    if (dead != null) {
      throw new BackendCrashedException(dead, -1);
    }
    Path dir = work.resolve("run-" + runs++);
    try {
      Files.createDirectories(dir);
      TestDataSet.writeAll(dir, "input_", TypedTensor.ofAll(inputs));
      toChild.write("RUN " + dir.toAbsolutePath() + "\n");
      toChild.flush();
    } catch (IOException e) {
      await("running a case");
      throw new UncheckedIOException(e);
    }
    String reply = await("running a case");
    try {
      if (!reply.equals("DONE")) {
        throw failure(reply, "to run a case");
      }
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      TestDataSet.readAll(dir, "output_").forEach((k, v) -> out.put(k, v.toFloat()));
      return out;
    } finally {
      deleteTree(dir);
    }
  }

  @Override
  public boolean hasOnnxFile() {
    return spec.kind().runsOnnx();
  }

  @Override
  public Path onnxFile() {
    if (!hasOnnxFile()) {
      throw new UnsupportedOperationException(name + " runs a SavedModel, not an ONNX file");
    }
    return spec.onnx();
  }

  @Override
  public Backend reopen(Path otherOnnx) {
    ProcessBackend p = new ProcessBackend(spec.withOnnx(otherOnnx), main, timeoutSeconds);
    p.awaitReady();
    return p;
  }

  /** Whether the child has died or been killed. */
  public boolean crashed() {
    return dead != null;
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        toChild.write("QUIT\n");
        toChild.flush();
      }
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    deleteTree(work);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary files only
    }
  }
}

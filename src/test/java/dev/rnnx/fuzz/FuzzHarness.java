package dev.rnnx.fuzz;

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
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs mutants in a restartable child JVM ({@link FuzzWorker}): one child runs many mutants; when
 * it dies (a native abort, a crash, a kill) or does not answer within the timeout, the harness
 * records that outcome for the mutant, kills what is left and starts a fresh child for the next.
 * Children run in a temporary folder with {@code -XX:ErrorFile} pointing into it, under a virtual
 * memory limit, so a crash leaves no {@code hs_err} file in the user's directory and a runaway
 * native allocation fails instead of swapping the machine.
 */
final class FuzzHarness implements AutoCloseable {

  /** The last answer, or why there was none. */
  record Answer(Outcome outcome, int code, String detail) {}

  private final Path work;
  private final long timeoutSeconds;
  private final String heap;
  private Process process;
  private Writer toChild;
  private BlockingQueue<String> replies;
  private int starts;

  FuzzHarness(Path work, long timeoutSeconds, String heap) {
    this.work = work;
    this.timeoutSeconds = timeoutSeconds;
    this.heap = heap;
  }

  /** How many child JVMs were started. */
  int starts() {
    return starts;
  }

  /** The folder the children's {@code hs_err_<pid>.log} files go to. */
  Path errorFolder() {
    return work;
  }

  /** Runs one mutant and classifies what happened. */
  Answer run(FuzzCase c) {
    if (process == null || !process.isAlive()) {
      start();
    }
    StringBuilder line = new StringBuilder().append(c.id()).append('\t').append(str(c.oracleModel())).append('\t')
        .append(str(c.oracleInputs())).append('\t').append(str(c.outputFile()));
    c.args().forEach(a -> line.append('\t').append(a.replace('\t', ' ').replace('\n', ' ')));
    try {
      toChild.write(line.append('\n').toString());
      toChild.flush();
    } catch (IOException e) {
      // the child is gone; the wait below sees its end
    }
    String reply;
    try {
      reply = replies.poll(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply = null;
    }
    if (reply == null) {
      kill();
      return new Answer(Outcome.HANG, -1, "no answer within " + timeoutSeconds + " s");
    }
    if (reply.equals("EOF")) {
      int code = exitCode();
      kill();
      return new Answer(Outcome.KILLED, code,
          "child JVM died with exit status " + code + lastWords());
    }
    return classify(reply.substring(reply.indexOf(' ') + 1));
  }

  /** Classifies {@code <code> <shape> <judgement> <line>}. */
  static Answer classify(String rest) {
    String[] p = rest.split(" ", 4);
    int code = Integer.parseInt(p[0]);
    String shape = p[1];
    String judged = p[2];
    String detail = p.length > 3 ? p[3] : "";
    Outcome o;
    if (shape.equals("trace")) {
      o = Outcome.STACK_TRACE;
    } else if (shape.equals("oom")) {
      o = Outcome.OOM;
    } else if (code == 0) {
      o = judged.equals("wrong") ? Outcome.WRONG_ANSWER : Outcome.OK;
    } else if (code == 1) {
      o = Outcome.PARITY_FAIL;
    } else if (code == 2) {
      o = Outcome.REFUSED;
    } else if (code == 4) {
      o = Outcome.UNVERIFIED;
    } else {
      o = Outcome.INTERNAL;
    }
    return new Answer(o, code, detail);
  }

  private void start() {
    kill();
    starts++;
    try {
      Files.createDirectories(work);
      Path stderr = work.resolve("child-" + starts + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> jvm = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "-Xmx" + heap,
          "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
          "-XX:ErrorFile=" + work.toAbsolutePath() + "/hs_err_%p.log", FuzzWorker.class.getName()));
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(Path.of("/bin/sh"))) {
        // 8 GiB of address space: enough for the JVM's reservations, a wall for runaway native allocations
        cmd.addAll(List.of("/bin/sh", "-c", "ulimit -v 8388608; exec \"$@\"", "sh"));
      }
      cmd.addAll(jvm);
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectError(stderr.toFile());
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fuzz worker JVM", e);
    }
    toChild = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    BlockingQueue<String> q = new ArrayBlockingQueue<>(4);
    replies = q;
    Process p = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = in.readLine(); l != null; l = in.readLine()) {
          if (l.startsWith(FuzzWorker.PREFIX) && !l.equals(FuzzWorker.PREFIX + "READY")) {
            q.put(l.substring(FuzzWorker.PREFIX.length()));
          }
        }
      } catch (IOException | InterruptedException e) {
        // the child is gone
      }
      q.offer("EOF");
    }, "fuzz-replies");
    reader.setDaemon(true);
    reader.start();
  }

  private int exitCode() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      return process.isAlive() ? -1 : process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private String lastWords() {
    Path log = work.resolve("child-" + starts + ".log");
    try {
      List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
      return lines.isEmpty() ? "" : ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private void kill() {
    if (process != null && process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    process = null;
  }

  private static String str(Path p) {
    return p == null ? "-" : p.toAbsolutePath().toString();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      try {
        toChild.close();
      } catch (IOException e) {
        // gone
      }
    }
    kill();
  }
}

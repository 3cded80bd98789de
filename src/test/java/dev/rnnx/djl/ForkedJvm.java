package dev.rnnx.djl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test-classpath main class in a fresh JVM and captures its output. */
public final class ForkedJvm {

  /** What a forked JVM did. */
  public record Result(int exitCode, String output, long millis) {}

  private ForkedJvm() {}

  public static Result run(Path workDir, List<String> jvmArgs, Class<?> main, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(jvmArgs);
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile(workDir, "forked-", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove(NativeWiring.TENSORFLOW_LIBRARY_PATH);
    pb.environment().remove("DJL_OFFLINE");
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("forked JVM timed out: " + cmd + "\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), millis);
  }
}

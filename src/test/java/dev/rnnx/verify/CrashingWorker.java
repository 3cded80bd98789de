package dev.rnnx.verify;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A {@link BackendWorker} stand-in whose backend loads, then takes the whole process down on its
 * first request, as a native abort would: {@code abort} exits with 134 (SIGABRT's status) through
 * {@code Runtime.halt}, skipping every Java shutdown step; {@code hang} never answers.
 */
public final class CrashingWorker {

  private CrashingWorker() {}

  public static void main(String[] args) throws Exception {
    String mode = args[3].equals("hang") ? "hang" : "abort"; // the spec's signature slot carries the mode
    System.out.println(BackendWorker.PREFIX + "READY " + args[0]);
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    System.err.println("native code: Assertion `index < size' failed. (simulated)");
    if (mode.equals("hang")) {
      Thread.sleep(Long.MAX_VALUE);
    }
    Runtime.getRuntime().halt(134);
  }
}

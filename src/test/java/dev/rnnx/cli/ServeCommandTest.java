package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnx serve}'s refusals before anything listens: one line each, exit 2. */
class ServeCommandTest {

  static final String SINE = "models/golden/sine-lstm/model.onnx";

  @TempDir
  Path dir;

  static void assertRefused(CliRun run, String expected) {
    assertEquals(ExitCodes.BAD_INPUT, run.code(), run.err());
    assertTrue(run.err().contains(expected), run.err());
    assertEquals(1, run.err().lines().count(), "one line: " + run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  @Test
  void aMissingModelIsRefused() {
    assertRefused(CliRun.of("serve", dir.resolve("nope").toString(), "--port", "0"),
        "nope: does not exist, expected a run folder, a .onnx file or a SavedModel folder");
  }

  @Test
  void twoModelsWithOneNameAreRefused() {
    assertRefused(CliRun.of("serve", SINE, "model=" + SINE, "--port", "0"), "two models are named 'model'");
  }

  @Test
  void aNameThatCannotBeInAPathIsRefused() {
    assertRefused(CliRun.of("serve", "a/b=" + SINE, "--port", "0"), "is not usable in a URL path");
  }

  @Test
  void badServerSettingsAreRefused() {
    assertRefused(CliRun.of("serve", SINE, "--port", "70000"), "port is 70000, expected 0 … 65535");
    assertRefused(CliRun.of("serve", SINE, "--queue", "0"), "queue is 0, expected 1 … 1000000");
    assertRefused(CliRun.of("serve", SINE, "--access-log", dir.resolve("no/such/dir/log").toString(), "--port", "0"),
        "cannot open the access log");
  }

  @Test
  void namesComeFromFileNamesOrNameEqualsPath() {
    Map<String, Path> named = ServeCommand.named(List.of(SINE, "sine=" + SINE));
    assertEquals(List.of("model", "sine"), List.copyOf(named.keySet()));
    assertEquals(Path.of(SINE), named.get("sine"));
  }
}

package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rnnx experiment tanaka}'s refusals: exit 2, one line, nothing written. */
class ExperimentTanakaCommandTest {

  @Test
  void refusesAnUnknownModel(@TempDir Path dir) {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("experiment", "tanaka", "--models", "rnn,lstm", "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("'lstm'") && r.err().contains("[rnn, attention, transformer]"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
    assertFalse(Files.exists(out));
  }

  @Test
  void refusesAMissingRecipeFolder(@TempDir Path dir) {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("experiment", "tanaka", "--recipes", dir.resolve("none").toString(), "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("rnn.yaml"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void refusesNegativeNumbers(@TempDir Path dir) {
    Path out = dir.resolve("out");
    CliRun r = CliRun.of("experiment", "tanaka", "--limit-pairs", "-3", "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertTrue(r.err().contains("limit-pairs -3"), r.err());
    assertFalse(Files.exists(out));
  }
}

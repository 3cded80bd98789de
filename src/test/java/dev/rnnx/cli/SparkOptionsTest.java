package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spark} on the command line: what is wrong with the command is refused in one line, exit
 * 2, before Spark starts (a missing run folder, a missing input, a taken output, options that do
 * not go together); nothing is written.
 */
class SparkOptionsTest {

  @TempDir Path dir;

  private void refused(String expected, String... args) {
    CliRun r = CliRun.of(args);
    assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
    assertEquals("rnnx: " + expected, r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void aMissingRunFolderIsRefusedBeforeSparkStarts() throws Exception {
    Path missing = dir.resolve("no-run");
    Path in = Files.writeString(dir.resolve("rows.jsonl"), "{\"input\": [0.1]}\n");
    Path out = dir.resolve("out.parquet");
    refused("run folder " + missing + " does not exist, expected the output folder of 'rnnx run'",
        "predict", missing.toString(), "--spark", "local[1]", "--input", in.toString(), "--output", out.toString());
    refused("run folder " + missing + " does not exist, expected the output folder of 'rnnx run'",
        "verify", missing.toString(), "--spark", "local[1]", "--cases", "10");
    assertEquals(false, Files.exists(out));
  }

  @Test
  void optionsThatDoNotGoTogetherAreRefused() {
    refused("--spark goes with --input F.parquet|F.jsonl and --output OUT.parquet",
        "predict", dir.toString(), "--spark", "local[1]", "--text", "hello");
    refused("--cases goes with --spark", "verify", dir.toString(), "--cases", "10");
    refused("--spark verifies a run folder: give RUN_DIR", "verify", "--spark", "local[1]");
  }
}

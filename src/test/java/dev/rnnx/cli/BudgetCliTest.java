package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rnnx.djl.TinyOnnx;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets through the CLI: one line, exit 2, nothing written. */
class BudgetCliTest {

  @TempDir
  Path dir;

  @Test
  void runRefusesAMillionUnitsBeforeBuildingAnything() throws Exception {
    Path recipe = Files.writeString(dir.resolve("big.yaml"), Files.readString(Path.of("models/sine-lstm.yaml"))
        .replace("units: 20", "units: 1000000"));
    Path out = dir.resolve("out");
    CliRun o = CliRun.of("run", recipe.toString(), "--out", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err() + o.out());
    assertEquals("rnnx: recipe " + recipe + ": 4,000,009,000,001 parameters, over the limit of 50,000,000"
        + " (raise it with -Drnnx.budget.parameters=N, e.g. in RNNX_JAVA_OPTS)\n", o.err());
    assertEquals("", o.out());
    assertFalse(Files.exists(out));
  }

  @Test
  void predictRefusesATensorFileOverTheByteLimit() throws Exception {
    Path onnx = TinyOnnx.write(dir.resolve("tiny.onnx"), false);
    Path in = dir.resolve("input.npy");
    try (RandomAccessFile f = new RandomAccessFile(in.toFile(), "rw")) {
      f.setLength((1L << 30) + 1);
    }
    Path out = dir.resolve("out.json");
    CliRun o = CliRun.of("predict", onnx.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err() + o.out());
    assertEquals("rnnx: tensor file " + in + ": 1,073,741,825 bytes, over the limit of 1,073,741,824"
        + " (raise it with -Drnnx.budget.tensor-file-bytes=N, e.g. in RNNX_JAVA_OPTS)\n", o.err());
    assertFalse(Files.exists(out));
  }
}

package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rnnx.djl.TinyOnnx;
import dev.rnnx.tensorio.InputFilesTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strict parsing through the command line: duplicate keys, content after the root value, integers
 * that would wrap and shapes whose product overflows are refused by {@code predict --input},
 * {@code verify --inputs}, {@code run} and {@code summary} with one line naming the file, exit code
 * 2 and nothing written.
 */
class StrictInputTest {

  @TempDir static Path dir;
  static Path onnx;

  @BeforeAll
  static void model() throws Exception {
    onnx = TinyOnnx.write(dir.resolve("tiny.onnx"), false);
  }

  private static void assertRefused(CliRun o, String line) {
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.out() + o.err());
    assertEquals("rnnx: " + line + "\n", o.err());
  }

  private static void predictRefuses(Path in, String message) {
    Path out = dir.resolve("never.json");
    assertRefused(CliRun.of("predict", onnx.toString(), "--input", in.toString(), "--output", out.toString()),
        message.replace("FILE", in.toString()));
    assertFalse(Files.exists(out), "nothing is written on bad input");
  }

  @Test
  void predictRefusesDuplicateKeysTrailingContentAndWrappedValues() throws Exception {
    Path in = dir.resolve("in.json");
    Files.writeString(in, "{\"input\": [[[0.5, 1.5, 2.5]]], \"input\": [[[1.0, 1.0, 1.0]]]}");
    predictRefuses(in, "FILE: is not valid JSON: duplicate key 'input' at line 1, column 39, expected each key once");
    Files.writeString(in, "{\"input\": [[[0.5, 1.5, 2.5]]]} trailing");
    predictRefuses(in, "FILE: is not valid JSON: Unrecognized token 'trailing': was expecting (JSON String, Number,"
        + " Array, Object or token 'null', 'true' or 'false') at line 1, column 40");
    Files.writeString(in, "{\"input\": [[[0.5, 1.5, 2.5]]]} {}");
    predictRefuses(in, "FILE: is not valid JSON: content after the root value at line 1, column 32, expected the end"
        + " of the file");
    // 2^64 + 3: once read as 3 and answered with exit 0
    Files.writeString(in, "{\"input\": [[[18446744073709551619, 1, 2]]]}");
    predictRefuses(in, "FILE: input 'input': value 18446744073709551619 at flat index 0 is out of range, expected int64"
        + " (-9223372036854775808 to 9223372036854775807)");
    Files.writeString(in, "{\"input\": [[[1e39, 1.0, 2.0]]]}");
    predictRefuses(in, "FILE: input 'input': value 1.0E39 at flat index 0 is not finite as float32, expected a"
        + " magnitude of at most 3.4028235E38");
  }

  @Test
  void predictRefusesNpyShapesThatAreNotIntegersOrOverflow() throws Exception {
    Path npy = dir.resolve("input.npy");
    Files.write(npy, InputFilesTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1e3, 1, 3), }", new byte[12]));
    predictRefuses(npy, "FILE: .npy shape (1e3, 1, 3) has dimension '1e3', expected non-negative integers of at most"
        + " 18 digits");
    Files.write(npy, InputFilesTest.npy("<f4", new long[] {1L << 32, 1L << 32, 3}, new byte[0]));
    predictRefuses(npy, "FILE: shape [4294967296, 4294967296, 3] has more than 2147483647 elements, expected at most"
        + " 2147483647");
  }

  @Test
  void verifyRefusesADuplicateKeyInItsInputs(@TempDir Path inputs) throws Exception {
    Path json = Files.writeString(inputs.resolve("case.json"),
        "{\"input\": {\"shape\": [1, 1, 3], \"shape\": [1, 3], \"data\": [1.0, 2.0, 3.0]}}");
    Path report = inputs.resolve("report");
    assertRefused(CliRun.of("verify", "--onnx", onnx.toString(), "--inputs", inputs.toString(), "--report",
        report.toString()), json + ": is not valid JSON: duplicate key 'shape' at line 1, column 39, expected each key once");
    assertFalse(Files.exists(report), "nothing is written on bad input");
  }

  @Test
  void runAndSummaryRefuseARecipeWithAFieldGivenTwice(@TempDir Path work) throws Exception {
    Path recipe = Files.writeString(work.resolve("r.yaml"), Files.readString(Path.of("models/sine-lstm.yaml"))
        .replaceFirst("\nseed: (\\d+)\n", "\nseed: $1\nseed: 7\n"));
    String line = recipe + ": field 'seed': appears twice (line "
        + (Files.readString(recipe).lines().takeWhile(l -> !l.equals("seed: 7")).count() + 1)
        + "), expected each field once";
    Path out = work.resolve("out");
    assertRefused(CliRun.of("run", recipe.toString(), "--out", out.toString()), line);
    assertFalse(Files.exists(out), "nothing is written on bad input");
    assertRefused(CliRun.of("summary", recipe.toString()), line);
  }
}

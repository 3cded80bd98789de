package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.decode.SearchOptions;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.Seq2SeqGenerator;
import dev.rnnx.djl.Seq2SeqRuns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnx predict RUN --text-file FILE [--batch-size N] [--beam K]}: one output line per input
 * line, in order, each what {@code --text} gives for that line; a blank line gives a blank line;
 * a missing file, bad UTF-8 or a line too long exits 2 with one line and prints nothing.
 */
class PredictTextFileTest {

  @TempDir
  static Path dir;

  static Path run;

  @BeforeAll
  static void runFolder() throws Exception {
    run = Seq2SeqRuns.of(dir.resolve("transformer"), Seq2SeqRuns.dates("t", "{type: transformer, layers: 1, heads: 2, ff_dim: 16}",
        "{type: transformer, layers: 1, heads: 2, ff_dim: 16}"), false);
  }

  @Test
  void printsOneLinePerInputLineInOrder() throws Exception {
    List<String> lines = List.of("7 march 1998", "saturday, the 7th of march, 1998", "", "12/03/2001", "1 jan 2010", "3.4.05");
    Path file = dir.resolve("in.txt");
    Files.writeString(file, String.join("\n", lines) + "\n");
    for (String cache : List.of("--kv-cache", "--no-kv-cache")) {
      List<String> args = new java.util.ArrayList<>(List.of("predict", run.toString(), "--text-file", file.toString(),
          "--batch-size", "2", "--beam", "3"));
      if (cache.equals("--no-kv-cache")) {
        args.add(cache);
      }
      CliRun o = CliRun.of(args.toArray(String[]::new));
      assertEquals(ExitCodes.OK, o.code(), o.err());
      List<String> printed = o.out().lines().toList();
      assertEquals(lines.size(), printed.size(), o.out());
      try (RnnxModel model = RnnxModel.load(run)) {
        Seq2SeqGenerator g = model.generator();
        for (int i = 0; i < lines.size(); i++) {
          String expected = lines.get(i).isEmpty() ? "" : g.generate(lines.get(i), new SearchOptions(3, 0, 0)).text();
          assertEquals(expected, printed.get(i), "line " + (i + 1));
          assertEquals(expected, lines.get(i).isEmpty() ? "" : CliRun.of("predict", run.toString(), "--text", lines.get(i),
              "--beam", "3").out().lines().findFirst().orElseThrow(), "--text on line " + (i + 1));
        }
      }
    }
  }

  @Test
  void badFilesAndLinesExit2WithOneLineAndPrintNothing() throws Exception {
    Path badUtf8 = dir.resolve("bad.txt");
    Files.write(badUtf8, new byte[] {'7', ' ', 'm', 'a', 'r', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
    Path tooLong = dir.resolve("long.txt");
    Files.writeString(tooLong, "7 march 1998\n" + "1".repeat(41) + "\n", StandardCharsets.UTF_8);
    String[][] cases = {
        {dir.resolve("missing.txt").toString(), "missing.txt: file does not exist"},
        {badUtf8.toString(), "bad.txt:2: invalid UTF-8"},
        {tooLong.toString(), "long.txt:2: the input has 41 tokens, more than the model's limit of 40"}};
    for (String[] c : cases) {
      CliRun o = CliRun.of("predict", run.toString(), "--text-file", c[0]);
      assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
      assertEquals("", o.out(), c[0]);
      assertEquals(1, o.err().lines().count(), o.err());
      assertTrue(o.err().contains(c[1]), o.err());
    }
    CliRun zero = CliRun.of("predict", run.toString(), "--text-file", tooLong.toString(), "--batch-size", "0");
    assertEquals(ExitCodes.BAD_INPUT, zero.code(), zero.err());
    assertTrue(zero.err().contains("--batch-size is 0, expected at least 1"), zero.err());
  }
}

package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A series file's bad input, through {@code rnnx run}: one line, exit 2, nothing written, before training. */
class CsvDataCliTest {

  private static final String RECIPE = """
      name: series
      seed: 1
      model:
        input: {features: 1}
        layers:
          - {type: normalization}
          - {type: lstm, units: 3}
          - {type: dense, units: 1}
          - {type: normalization, invert: true}
      data: {task: csv, file: series.csv, features: [co2], targets: [co2], window: 3}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  /** Runs the recipe from {@code dir/recipes} with its CSV beside it; the CLI's working folder is elsewhere. */
  private static CliRun run(Path dir, String csv, String recipe) throws Exception {
    Path recipes = Files.createDirectories(dir.resolve("recipes"));
    Files.writeString(recipes.resolve("series.csv"), csv);
    Files.writeString(recipes.resolve("r.yaml"), recipe);
    return CliRun.of("run", recipes.resolve("r.yaml").toString(), "--out", dir.resolve("out").toString());
  }

  private static String rows(int n) {
    StringBuilder sb = new StringBuilder("date,co2\n");
    for (int i = 0; i < n; i++) {
      sb.append(20000101 + i).append(',').append(300 + i % 7).append('\n');
    }
    return sb.toString();
  }

  private static void refused(Path dir, CliRun o, String message) {
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains(message), o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
    assertFalse(Files.exists(dir.resolve("out")), "nothing is written on bad input");
  }

  @Test
  void aNonNumberIsNamedByFileLineAndColumn(@TempDir Path dir) throws Exception {
    refused(dir, run(dir, rows(40).replace("20000105,304", "20000105,n/a"), RECIPE),
        "series.csv:6: column 'co2': expected a number, got 'n/a'");
  }

  @Test
  void aColumnNotInTheHeaderListsTheHeader(@TempDir Path dir) throws Exception {
    refused(dir, run(dir, rows(40), RECIPE.replace("targets: [co2]", "targets: [co3]").replace("features: [co2]", "features: [co3]")),
        "series.csv:1: no column 'co3' in the header, which has [date, co2]");
  }

  @Test
  void aGapWithoutAPolicyAnEmptyFileAndAWindowLongerThanTheSeries(@TempDir Path dir) throws Exception {
    refused(dir, run(dir, rows(40).replace("20000105,304", "20000105,"), RECIPE),
        "series.csv:6: column 'co2' is empty (a missing value; 1 in all): declare data.missing: drop or interpolate");
    refused(dir, run(dir, "", RECIPE), "series.csv: file is empty");
    refused(dir, run(dir, rows(40), RECIPE.replace("window: 3", "window: 50")),
        "series.csv: a window of 50 rows plus a horizon of 1 is longer than the training part (28 of 40 rows)");
  }

  @Test
  void anUnparseableDateIsNamed(@TempDir Path dir) throws Exception {
    refused(dir, run(dir, rows(40).replace("20000105", "2000-02-30"), RECIPE.replace("window: 3", "window: 3, time: date")),
        "series.csv:6: column 'date': expected a date (yyyy-MM-dd, yyyyMMdd, yyyy-MM) or a number, got '2000-02-30'");
  }
}

package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input reaches the user as one clear line and exit code 2, with nothing written. */
class CliBadInputTest {

  private static final String GOOD = """
      name: tiny
      seed: 1
      model:
        input: {features: 1}
        layers:
          - {type: lstm, units: 3}
          - {type: dense, units: 1}
      data: {task: sine, window: 5, samples: 60}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;



  private static CliRun runRecipe(Path dir, String yaml) throws Exception {
    Path recipe = dir.resolve("r.yaml");
    Files.writeString(recipe, yaml);
    return CliRun.of("run", recipe.toString(), "--out", dir.resolve("out").toString());
  }

  @Test
  void unknownLayer(@TempDir Path dir) throws Exception {
    CliRun o = runRecipe(dir, GOOD.replace("type: dense", "type: transformer"));
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("r.yaml: field 'model.layers[1].type': unknown layer type 'transformer'"), o.err());
    assertFalse(Files.exists(dir.resolve("out")), "nothing is written on bad input");
  }

  @Test
  void missingAndMistypedFields(@TempDir Path dir) throws Exception {
    CliRun o = runRecipe(dir, GOOD.replace("seed: 1\n", ""));
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("field 'seed': is missing"), o.err());
    o = runRecipe(dir, GOOD.replace("epochs: 1", "epochs: one"));
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("field 'training.epochs': expected an integer, got the string 'one'"), o.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void negativeSize(@TempDir Path dir) throws Exception {
    CliRun o = runRecipe(dir, GOOD.replace("units: 3", "units: -3"));
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("units is -3, expected a positive integer"), o.err());
  }

  @Test
  void missingRecipeAndOutputThatIsAFile(@TempDir Path dir) throws Exception {
    CliRun o = CliRun.of("run", dir.resolve("nope.yaml").toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("nope.yaml: file does not exist"), o.err());
    Path recipe = dir.resolve("r.yaml");
    Files.writeString(recipe, GOOD);
    Path file = dir.resolve("taken");
    Files.writeString(file, "x");
    o = CliRun.of("run", recipe.toString(), "--out", file.toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertTrue(o.err().contains("is an existing file"), o.err());
  }

  @Test
  void summaryPrintsKerasStyleCounts() {
    CliRun o = CliRun.of("summary", "models/sine-lstm.yaml");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    assertTrue(o.out().matches("(?s).*lstm \\(LSTM\\) +\\(None, 20\\) +1,760\n.*"), o.out());
    assertTrue(o.out().matches("(?s).*dense \\(Dense\\) +\\(None, 1\\) +21\n.*"), o.out());
    assertTrue(o.out().contains("Total params: 1,781"), o.out());
    // GRU(20) on one feature: 3·20·(1 + 20 + 2) = 1,380 with reset_after's two biases
    assertTrue(o.out().contains("Each LSTM as a GRU (reset_after) of the same width (3 gate blocks, one state):\n"
        + "  lstm: 1,380 parameters instead of 1,760\n"), o.out());
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertEquals(ExitCodes.BAD_INPUT, CliRun.of("run", "--frobnicate").code());
  }

  @Test
  void anOptionTheOpsetCannotExpressIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    String yaml = GOOD.replace("- {type: lstm, units: 3}", "- {type: lstm, units: 3, go_backwards: true, return_sequences: true}")
        .replace("- {type: dense, units: 1}", "- {type: lstm, units: 1}") + "export: {opset: 9}\n";
    CliRun o = runRecipe(dir, yaml);
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("layer 'lstm'") && o.err().contains("go_backwards") && o.err().contains("opset 10"), o.err());
    assertFalse(Files.exists(dir.resolve("out")), "refused before training: nothing written");
  }
}

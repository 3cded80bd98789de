package dev.rnnx.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.data.Split;
import dev.rnnx.data.TaskData;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import dev.rnnx.spec.SimpleRnn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryAdditionExperimentTest {

  private static final Recipe BASE = RecipeCodec.read(Path.of("models/binary-addition.yaml"));

  @Test
  void variantsChangeOnlyWhatTheyName() {
    List<Variant> grid = BinaryAdditionExperiment.grid();
    assertEquals(9, grid.size());
    Recipe he = grid.get(8).change().apply(BASE);
    SimpleRnn rnn = (SimpleRnn) he.sequential().layers().get(0);
    assertEquals(Activation.TANH, rnn.activation());
    assertEquals(Math.sqrt(2.0 / 2), rnn.kernelInitializer().scale(), 1e-12, "He on W_in: fan-in 2");
    assertEquals(Math.sqrt(2.0 / 16), rnn.recurrentInitializer().scale(), 1e-12, "He on W: fan-in 16");
    Recipe wide = grid.get(4).change().apply(BASE);
    assertEquals(32, ((SimpleRnn) wide.sequential().layers().get(0)).units());
    assertEquals(0.2, grid.get(2).change().apply(BASE).training().learningRate());
    assertEquals(BASE, grid.get(0).change().apply(BASE));
  }

  @Test
  void smallGridWritesTableJsonAndPlot(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<VariantResult> results = BinaryAdditionExperiment.run(BASE, BinaryAdditionExperiment.grid().subList(0, 2), 2, 300, 2,
        new PrintStream(log, true));
    BinaryAdditionExperiment.write(dir, results, 300);
    assertEquals(2, results.size());
    for (VariantResult r : results) {
      assertEquals(2, r.runs().size());
      assertEquals(List.of(100, 200, 300), r.runs().get(0).steps(), "evaluated every 100 steps");
      assertEquals(3, r.seedCode().get(0).losses().size());
    }
    String table = Files.readString(dir.resolve("results.md"));
    assertTrue(table.contains("| sigmoid, weights N(0, 1), learning rate 0.1, hidden 16 (the base) | about 6,000 |"), table);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertEquals(2, json.get("variants").size());
    assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
  }

  @Test
  void theTrueGradientReplayLearnsTheBaseTask() {
    Recipe recipe = BinaryAdditionExperiment.withSeedAndSteps(BASE, 1, 10_000);
    Split data = TaskData.generate(recipe.data(), recipe.seed());
    SeedRun run = SeedCodeReplica.run(recipe, data, SeedCodeReplica.Gradient.TRUE, 100);
    assertTrue(run.losses().get(run.losses().size() - 1) < run.losses().get(0) / 4, "loss falls: " + run.losses());
  }

  @Test
  void refusesOtherRecipes() {
    Recipe sine = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    assertThrows(IllegalArgumentException.class,
        () -> BinaryAdditionExperiment.run(sine, BinaryAdditionExperiment.grid(), 1, 100, 1, System.out));
  }
}

package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesTaskTest {

  private static final String RECIPE = """
      name: s
      seed: 1
      model:
        input: {features: 2}
        layers:
          - {type: normalization}
          - {type: gru, units: 3}
          - {type: dense, units: 4}
          - {type: normalization, invert: true}
      data: {task: csv, file: ../data/s.csv, features: [a, b], targets: [b, c], window: 5, horizon: 2, stride: 2,
             missing: drop, season: 4}
      training: {loss: mse, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  @Test
  void theFileIsRelativeToTheRecipeAndTheRecipeRoundTrips(@TempDir Path dir) throws Exception {
    Path recipes = Files.createDirectories(dir.resolve("recipes"));
    Files.writeString(recipes.resolve("s.yaml"), RECIPE);
    Recipe r = RecipeCodec.read(recipes.resolve("s.yaml"));
    CsvSeriesTask t = (CsvSeriesTask) r.data();
    assertEquals(dir.toAbsolutePath().resolve("data/s.csv").toString(), t.file());
    assertEquals(List.of("b", "c"), t.targets());
    assertEquals(CsvSeriesTask.MissingValues.DROP, t.missing());
    assertEquals(Shape.of(Shape.DYNAMIC, 4), t.targetShape(), "horizon 2 x 2 targets");
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round trip"));
    Normalization first = (Normalization) r.sequential().layers().get(0);
    assertFalse(first.fitted());
    assertTrue(((Normalization) r.sequential().layers().get(3)).invert());
  }

  @Test
  void aModelWhoseOutputsDoNotMatchHorizonTimesTargetsIsRefused() {
    RecipeException e = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(RECIPE.replace("units: 4", "units: 3"), "r.yaml"));
    assertTrue(e.getMessage().contains("has targets"), e.getMessage());
    e = assertThrows(RecipeException.class, () -> RecipeCodec.parse(RECIPE.replace("missing: drop", "missing: guess"), "r.yaml"));
    assertTrue(e.getMessage().contains("expected one of [refuse, drop, interpolate]"), e.getMessage());
  }

  @Test
  void normalizationMapsBothWays() {
    Normalization in = Normalization.unfitted("n", false).fit(new double[] {330, 0}, new double[] {100, 0});
    assertEquals(2.0, in.apply(0, 350), 1e-12);
    assertEquals(0.0, in.apply(1, 0), 1e-12, "a zero variance divides by 1e-7, not 0");
    Normalization out = Normalization.unfitted("n", true).fit(new double[] {330}, new double[] {100});
    assertEquals(350, out.apply(0, 2.0), 1e-12);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Normalization.unfitted("x", false).means());
    assertTrue(e.getMessage().startsWith("layer 'x' (normalization) has no mean and variance"), e.getMessage());
  }
}

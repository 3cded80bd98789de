package dev.rnnx.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.spec.DatesTask;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Seq2SeqExperimentTest {

  /** A zoo recipe shrunk to a few hundred examples. */
  private static Recipe small(String file) {
    Recipe r = RecipeCodec.read(Path.of("models", file));
    return new Recipe(r.name(), r.description(), r.seed(), r.model(), new DatesTask(300, 0.1, 0.2), r.training(), r.export(),
        r.tolerances());
  }

  @Test
  void comparesTheThreeFamiliesByLengthAndWritesTheCurves(@TempDir Path dir) throws Exception {
    List<Recipe> recipes = List.of(small("dates-rnn.yaml"), small("dates-attention.yaml"), small("dates-transformer.yaml"));
    List<Seq2SeqExperiment.Result> results = Seq2SeqExperiment.run(recipes, 1, 120, 7, new PrintStream(new ByteArrayOutputStream()));
    assertEquals(3, results.size());
    for (Seq2SeqExperiment.Result r : results) {
      assertEquals(1, r.training().trainLoss().size());
      assertTrue(r.bleu() >= 0 && r.bleu() <= 1 && r.exactMatch() >= 0 && r.exactMatch() <= 1);
      int examples = r.byLength().values().stream().mapToInt(v -> (int) v[0]).sum();
      assertEquals(120, examples, "every test example falls in one length bucket");
      assertTrue(r.byLength().containsKey("29+"), "half the test set is in the long formats");
    }
    Seq2SeqExperiment.write(dir, results, 120);
    assertTrue(Files.size(dir.resolve("curves.png")) > 1000);
    assertTrue(Files.readString(dir.resolve("results.md")).contains("| dates-attention |"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertEquals(3, json.get("models").size());
  }

  @Test
  void refusesRecipesThatAreNotSeq2SeqOnDates() {
    Recipe sine = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    assertThrows(IllegalArgumentException.class,
        () -> Seq2SeqExperiment.run(List.of(sine), 1, 10, 1, new PrintStream(new ByteArrayOutputStream())));
  }
}

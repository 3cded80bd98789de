package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parallel text files' bad input through {@code rnnx run}: one line, exit 2, nothing written. */
class ParallelTextCliTest {

  private static final String RECIPE = """
      name: pairs
      seed: 1
      model:
        type: seq2seq
        source_vocabulary: 12
        target_vocabulary: 12
        embedding_dim: 4
        max_source_length: 6
        max_target_length: 7
        encoder: {type: rnn, cell: gru, units: 4}
        decoder: {type: rnn, cell: gru, units: 4}
      data: {task: parallel-text, train_source: c/train.en, train_target: c/train.ja, validation_source: c/dev.en,
             validation_target: c/dev.ja, tokenizer: whitespace, min_count: 1, source_vocabulary: 12, target_vocabulary: 12,
             max_source_length: 6, max_target_length: 7}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 2}
      """;

  private static CliRun run(Path dir, String trainJa) throws Exception {
    Path c = Files.createDirectories(dir.resolve("r/c"));
    Files.writeString(c.resolve("train.en"), "a b .\nb c .\n");
    Files.writeString(c.resolve("train.ja"), trainJa);
    Files.writeString(c.resolve("dev.en"), "a c .\n");
    Files.writeString(c.resolve("dev.ja"), "あ う 。\n");
    Files.writeString(dir.resolve("r/pairs.yaml"), RECIPE);
    return CliRun.of("run", dir.resolve("r/pairs.yaml").toString(), "--out", dir.resolve("out").toString());
  }

  @Test
  void filesOfDifferentLengthsNameBothCounts(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "あ い 。\n");
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("train.en has 2 lines but train.ja has 1: parallel files must be aligned line by line"), o.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void anEmptyFileIsRefused(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "");
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("train.ja: file is empty"), o.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void aRunReportsTheTextStatistics(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "あ い 。\nい え 。\n");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    com.fasterxml.jackson.databind.JsonNode data = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("out/report.json").toFile()).get("data");
    assertEquals(8, data.get("source_vocabulary").get("size").asInt(), "a b c . and the four specials");
    assertEquals(2, data.get("training").get("pairs_kept").asInt());
    assertEquals(1 / 6.0, data.get("validation").get("oov_rate").asDouble(), 1e-12, "う: 1 unknown among the 6 validation tokens");
    assertTrue(data.get("training_tokens_per_second").asDouble() > 0);
  }

  @Test
  void theRecipeResolvesItsFilesAndRoundTrips(@TempDir Path dir) throws Exception {
    run(dir, "あ い 。\n");
    Recipe r = RecipeCodec.read(dir.resolve("r/pairs.yaml"));
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round trip"));
    assertTrue(RecipeCodec.write(r).contains(dir.toAbsolutePath().resolve("r/c/train.ja").toString()));
  }
}

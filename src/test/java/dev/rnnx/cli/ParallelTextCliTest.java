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
  void predictTextSplitsRawInputAndJoinsJapaneseOutputAsTheCorpusWasTokenised(@TempDir Path dir) throws Exception {
    Path r = Files.createDirectories(dir.resolve("r"));
    Files.writeString(r.resolve("train.tsv"), "The cat runs .\t猫が走る。\nThe dog sleeps .\t犬が寝る。\nThe cat sleeps .\t猫が寝る。\n");
    Files.writeString(r.resolve("dev.tsv"), "The dog runs .\t犬が走る。\n");
    Files.writeString(r.resolve("ja.yaml"), RECIPE.replace("name: pairs", "name: ja").replaceAll(
        "data: \\{[^}]*}", "data: {task: parallel-text, train: train.tsv, validation: dev.tsv, tokenizer: whitespace,"
            + " target_tokenizer: kuromoji, source_lowercase: true, source_vocabulary: 12, target_vocabulary: 12,"
            + " max_source_length: 6, max_target_length: 7}"));
    Path out = dir.resolve("out");
    CliRun trained = CliRun.of("run", r.resolve("ja.yaml").toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, trained.code(), trained.err());
    com.fasterxml.jackson.databind.JsonNode vocabulary = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(out.resolve("vocabulary.json").toFile());
    assertEquals("kuromoji", vocabulary.get("target_tokenizer").get("kind").asText());
    assertTrue(vocabulary.get("source_tokenizer").get("lowercase").asBoolean());
    assertTrue(vocabulary.get("target").toString().contains("\"寝る\""), "kuromoji split 猫が寝る。 into 猫 が 寝る 。");

    CliRun predicted = CliRun.of("predict", out.toString(), "--text", "THE Cat runs .");
    assertEquals(ExitCodes.OK, predicted.code(), predicted.err());
    String text = predicted.out().strip();
    assertFalse(predicted.err().contains("outside the vocabulary"), "lower-cased as in training: " + predicted.err());
    try (dev.rnnx.djl.RnnxModel model = dev.rnnx.djl.RnnxModel.load(out)) {
      dev.rnnx.djl.Generation g = model.generator().generate("THE Cat runs .", dev.rnnx.decode.SearchOptions.GREEDY);
      assertEquals(0, g.unknownTokens());
      assertEquals(4, g.inputTokens());
      StringBuilder joined = new StringBuilder();
      for (int id : g.tokens()) {
        if (id == dev.rnnx.spec.SpecialTokens.EOS) {
          break;
        }
        joined.append(vocabulary.get("target").get(id).asText());
      }
      assertEquals(joined.toString(), g.text(), "Japanese tokens joined without spaces");
      assertEquals(g.text(), text, "predict --text prints what the Java API generates");
      assertFalse(text.contains(" "), text);
    }
    dev.rnnx.data.VocabularyFile tables = dev.rnnx.data.VocabularyFile.read(out);
    long[] ids = java.util.stream.Stream.of("猫", "が", "寝る", "。").mapToLong(t -> tables.target().id(t)).toArray();
    assertEquals("猫が寝る。", tables.join(ids));
    assertEquals(java.util.List.of("the", "cat", "runs", "."), tables.sourceTokens("THE Cat runs ."));
  }

  @Test
  void bucketedBatchesAreReportedAndTheSameSeedGivesTheSameWeights(@TempDir Path dir) throws Exception {
    Path c = Files.createDirectories(dir.resolve("r/c"));
    Files.writeString(c.resolve("train.en"), "a .\na b c d .\nb .\nc d a b .\n");
    Files.writeString(c.resolve("train.ja"), "あ 。\nあ い う え 。\nい 。\nう え あ い 。\n");
    Files.writeString(c.resolve("dev.en"), "a c .\n");
    Files.writeString(c.resolve("dev.ja"), "あ う 。\n");
    Files.writeString(dir.resolve("r/pairs.yaml"), RECIPE.replace("max_target_length: 7}", "max_target_length: 7, batching: bucketed}"));
    byte[][] weights = new byte[2][];
    for (int i = 0; i < 2; i++) {
      Path out = dir.resolve("out" + i);
      CliRun o = CliRun.of("run", dir.resolve("r/pairs.yaml").toString(), "--out", out.toString());
      assertEquals(ExitCodes.OK, o.code(), o.err());
      weights[i] = Files.readAllBytes(out.resolve("weights.safetensors"));
      com.fasterxml.jackson.databind.JsonNode batching = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(out.resolve("report.json").toFile()).get("data").get("batching");
      assertEquals("bucketed", batching.get("order").asText());
      assertEquals(0.0, batching.get("padding_fraction_bucketed").asDouble(), 1e-12,
          "sources 2, 2, 5, 5 and targets 3, 3, 6, 6 in batches of 2: sorted, no padding");
      assertTrue(batching.get("padding_fraction_shuffled").asDouble() >= 0);
    }
    assertTrue(java.util.Arrays.equals(weights[0], weights[1]), "same seed, same weights");
  }

  @Test
  void anUnknownBatchingOrTokenizerIsRefused(@TempDir Path dir) throws Exception {
    Path c = Files.createDirectories(dir.resolve("r"));
    Files.writeString(c.resolve("a.yaml"), RECIPE.replace("max_target_length: 7}", "max_target_length: 7, batching: sorted}"));
    Files.writeString(c.resolve("b.yaml"), RECIPE.replace("tokenizer: whitespace,", "tokenizer: whitespace, target_tokenizer: mecab,"));
    CliRun a = CliRun.of("run", c.resolve("a.yaml").toString(), "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.BAD_INPUT, a.code(), a.err());
    assertTrue(a.err().contains("unknown batching 'sorted', expected one of [shuffled, bucketed]"), a.err());
    CliRun b = CliRun.of("run", c.resolve("b.yaml").toString(), "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.BAD_INPUT, b.code(), b.err());
    assertTrue(b.err().contains("unknown tokenizer 'mecab', expected one of [whitespace, char, kuromoji]"), b.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void theRecipeResolvesItsFilesAndRoundTrips(@TempDir Path dir) throws Exception {
    run(dir, "あ い 。\n");
    Recipe r = RecipeCodec.read(dir.resolve("r/pairs.yaml"));
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round trip"));
    assertTrue(RecipeCodec.write(r).contains(dir.toAbsolutePath().resolve("r/c/train.ja").toString()));
  }
}

package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.data.TextLines;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** word2vec on a slice of the Tanaka corpus's Japanese side through {@code rnnx run} with the {@code text} source. */
class TextCorpusCliTest {

  private static final String RECIPE = """
      name: ja-w2v
      seed: 4
      model: {type: word2vec, vocabulary: %d, dimension: 8, architecture: cbow, window: 2,
              objective: negative_sampling, negatives: 3}
      data: {task: text, train: ja.txt, tokenizer: whitespace, min_count: 3, vocabulary: %d, subsample: 1.0e-3,
             queries: [先生, 犬]}
      training: {loss: binary_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 256}
      """;

  @Test
  void trainsOnATanakaSliceAndReportsTheQueriesNeighbours(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("ja.txt"), TextLines.read(Path.of("models/data/tanaka-enja/train.ja.gz")).subList(0, 3000));
    Files.writeString(dir.resolve("w.yaml"), RECIPE.formatted(600, 600));
    CliRun o = CliRun.of("run", dir.resolve("w.yaml").toString(), "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.OK, o.code(), o.err());
    JsonNode report = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
    JsonNode training = report.get("data").get("training");
    assertEquals(3000, training.get("lines_read").asInt());
    assertTrue(training.get("words_after_subsampling").asLong() < training.get("words_before_subsampling").asLong());
    JsonNode teacher = report.get("similarity").get("neighbours").get("先生");
    assertEquals(5, teacher.size());
    teacher.fields().forEachRemaining(e -> assertTrue(e.getValue().asDouble() <= 1.0 && e.getValue().asDouble() >= -1.0, e.toString()));
    assertFalse(report.get("similarity").has("precision_at_5"), "a corpus from a file has no classes to score");
    JsonNode vocabulary = new ObjectMapper().readTree(dir.resolve("out/vocabulary.json").toFile());
    assertEquals(600, vocabulary.get("source").size());
    CliRun similar = CliRun.of("predict", dir.resolve("out").toString(), "--most-similar", "犬", "--k", "3");
    assertEquals(ExitCodes.OK, similar.code(), similar.err());
    assertEquals(3, similar.out().strip().split("\n").length, similar.out());
  }

  @Test
  void invalidUtf8IsRefusedWithItsByteOffsetAndNothingWritten(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("ja.txt"), new byte[] {'a', ' ', 'b', '\n', 'c', ' ', (byte) 0xe3, (byte) 0x81, '\n'});
    Files.writeString(dir.resolve("w.yaml"), RECIPE.formatted(20, 20));
    CliRun o = CliRun.of("run", dir.resolve("w.yaml").toString(), "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("ja.txt:2: invalid UTF-8 at byte offset 6 of the file (byte 3 of the line)"), o.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }
}

package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A text classifier trained from TSV files through {@code rnnx run}, and its bad input. */
class LabeledTextCliTest {

  private static final String RECIPE = """
      name: reviews
      seed: 2
      model:
        input: {tokens: true, lengths: true}
        layers:
          - {type: embedding, input_dim: 10, output_dim: 4}
          - {type: gru, units: 4}
          - {type: dense, units: 2, activation: softmax}
      data: {task: labeled-text, train: t/train.tsv, validation: t/dev.tsv, labels: [neg, pos], tokenizer: whitespace,
             vocabulary: 10, max_length: 4}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.05, epochs: 2, batch_size: 4}
      """;

  private static CliRun run(Path dir, String train) throws Exception {
    Path t = Files.createDirectories(dir.resolve("r/t"));
    Files.writeString(t.resolve("train.tsv"), train);
    Files.writeString(t.resolve("dev.tsv"), "pos\tgood plot\nneg\tbad plot\n");
    Files.writeString(dir.resolve("r/reviews.yaml"), RECIPE);
    return CliRun.of("run", dir.resolve("r/reviews.yaml").toString(), "--out", dir.resolve("out").toString());
  }

  @Test
  void trainsAndReportsTheTextStatistics(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "pos\tgood film\nneg\tbad film\npos\tgood\nneg\tbad\n");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    JsonNode data = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile()).get("data");
    assertEquals(7, data.get("text_vocabulary").get("size").asInt(), "good bad film and the four specials");
    assertEquals(4, data.get("training").get("rows_kept").asInt());
    assertEquals(0.5, data.get("validation").get("oov_rate").asDouble(), 1e-12, "plot, twice among 4 tokens");
  }

  @Test
  void predictTextClassifiesRawTextWithTheTrainingVocabularyAndTokenizer(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "pos\tgood film\nneg\tbad film\npos\tgood\nneg\tbad\npos\tgood good\nneg\tbad bad\n");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    JsonNode vocabulary = new ObjectMapper().readTree(dir.resolve("out/vocabulary.json").toFile());
    assertEquals("whitespace", vocabulary.get("source_tokenizer").get("kind").asText());
    CliRun predicted = CliRun.of("predict", dir.resolve("out").toString(), "--text", "good  film");
    assertEquals(ExitCodes.OK, predicted.code(), predicted.err());
    String[] lines = predicted.out().strip().split("\n");
    assertEquals(2, lines.length, predicted.out());
    assertTrue(lines[0].startsWith("pos "), "labels by name, the likeliest first: " + predicted.out());
    assertTrue(lines[1].startsWith("neg "), predicted.out());
    try (dev.rnnx.djl.RnnxModel model = dev.rnnx.djl.RnnxModel.load(dir.resolve("out"))) {
      dev.rnnx.djl.TextPrediction p = model.predictText("good  film");
      assertEquals(java.util.List.of("good", "film"), p.tokens());
      assertEquals(1.0, p.labels().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
      assertEquals(String.format(java.util.Locale.ROOT, "%-16s %.4f", "pos", p.labels().get("pos")), lines[0]);
      assertEquals(1, model.predictText("awful film").unknown());
    }
  }

  @Test
  void bucketedBatchesGroupTextsOfOneLength(@TempDir Path dir) throws Exception {
    Path t = Files.createDirectories(dir.resolve("r/t"));
    Files.writeString(t.resolve("train.tsv"), "pos\tgood film\nneg\tbad\npos\tgood\nneg\tbad film\n");
    Files.writeString(t.resolve("dev.tsv"), "pos\tgood plot\n");
    Files.writeString(dir.resolve("r/reviews.yaml"), RECIPE.replace("max_length: 4}", "max_length: 4, batching: bucketed}")
        .replace("batch_size: 4", "batch_size: 2"));
    CliRun o = CliRun.of("run", dir.resolve("r/reviews.yaml").toString(), "--out", dir.resolve("out").toString());
    assertEquals(ExitCodes.OK, o.code(), o.err());
    JsonNode batching = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile()).get("data").get("batching");
    assertEquals("bucketed", batching.get("order").asText());
    assertEquals(2, batching.get("batch_size").asInt());
    assertEquals(0.0, batching.get("padding_fraction_bucketed").asDouble(), 1e-12, "lengths 2, 1, 1, 2: {1, 1} and {2, 2}");
  }

  @Test
  void anUnknownLabelIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "pos\tgood film\nmeh\tso so\n");
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("train.tsv:2: label 'meh' is not one of data.labels [neg, pos]"), o.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }
}

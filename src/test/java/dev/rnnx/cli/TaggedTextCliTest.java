package dev.rnnx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.djl.RnnxModel;
import dev.rnnx.djl.TextPrediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tagger trained from token-and-tag files through {@code rnnx run}, {@code predict --text} on it, and its bad input. */
class TaggedTextCliTest {

  private static final String RECIPE = """
      name: tagger
      seed: 3
      model:
        input: {tokens: true, lengths: true}
        layers:
          - {type: embedding, input_dim: 13, output_dim: 6}
          - {type: lstm, units: 8, return_sequences: true}
          - type: time_distributed
            layer: {type: dense, units: 4, activation: softmax}
      data: {task: tagged-text, train: t/train.txt, validation: t/dev.txt, lowercase: true, vocabulary: 13, tags: 4,
             max_length: 5, batching: bucketed}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.05, epochs: 15, batch_size: 4,
                 metrics: [accuracy]}
      """;

  /** Sentences of a determiner, a noun and a verb, some with an adverb: each word has one tag. */
  private static String sentences(int n) {
    String[] nouns = {"dog", "cat", "bird"};
    String[] verbs = {"runs", "sleeps", "sings"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i % 2 == 0 ? "the" : "a").append("\tDET\n").append(nouns[i % 3]).append(" NOUN\n").append(verbs[(i / 3) % 3])
          .append("\tVERB\n");
      if (i % 4 == 0) {
        sb.append("fast ADV\n");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static CliRun run(Path dir, String train) throws Exception {
    Path t = Files.createDirectories(dir.resolve("r/t"));
    Files.writeString(t.resolve("train.txt"), train);
    Files.writeString(t.resolve("dev.txt"), "The DET\nowl NOUN\nsings VERB\n");
    Files.writeString(dir.resolve("r/tagger.yaml"), RECIPE);
    return CliRun.of("run", dir.resolve("r/tagger.yaml").toString(), "--out", dir.resolve("out").toString());
  }

  @Test
  void trainsReportsAndTagsRawTextThroughPredict(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, sentences(24));
    assertEquals(ExitCodes.OK, o.code(), o.err());
    JsonNode data = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile()).get("data");
    assertEquals(13, data.get("token_vocabulary").get("size").asInt(), "the a dog cat bird runs sleeps sings fast and 4 specials");
    assertEquals("[\"DET\",\"NOUN\",\"VERB\",\"ADV\"]", data.get("tag_vocabulary").get("tags").toString());
    assertEquals(24, data.get("training").get("sentences_kept").asInt());
    assertEquals(1 / 3.0, data.get("validation").get("oov_rate").asDouble(), 1e-12, "owl");
    assertEquals("bucketed", data.get("batching").get("order").asText());

    CliRun predicted = CliRun.of("predict", dir.resolve("out").toString(), "--text", "The CAT sleeps fast");
    assertEquals(ExitCodes.OK, predicted.code(), predicted.err());
    assertEquals("the/DET cat/NOUN sleeps/VERB fast/ADV", predicted.out().strip(), "lower-cased and tagged as trained");
    try (RnnxModel model = RnnxModel.load(dir.resolve("out"))) {
      TextPrediction p = model.predictText("The CAT sleeps fast");
      assertEquals(List.of("the", "cat", "sleeps", "fast"), p.tokens());
      assertEquals(List.of("DET", "NOUN", "VERB", "ADV"), p.tags(), "the Java API says what predict prints");
      assertEquals(1, model.predictText("the owl runs").unknown());
    }
  }

  @Test
  void aLineWithThreeFieldsIsRefusedBeforeTrainingWithNothingWritten(@TempDir Path dir) throws Exception {
    CliRun o = run(dir, "the DET\ndog NOUN x\n");
    assertEquals(ExitCodes.BAD_INPUT, o.code(), o.err());
    assertTrue(o.err().contains("train.txt:2: expected a token and its tag (2 fields separated by a tab or spaces), got 3 field(s)"),
        o.err());
    assertFalse(Files.exists(dir.resolve("out")));
  }
}

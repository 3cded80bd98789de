package dev.rnnx.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code tagged-text} and {@code text} data sources in recipes: fields, defaults, paths, round trip. */
class TextTaskCodecTest {

  private static final String TAGGER = """
      name: tagger
      seed: 1
      model:
        input: {tokens: true, lengths: true}
        layers:
          - {type: embedding, input_dim: 50, output_dim: 8}
          - {type: lstm, units: 8, return_sequences: true}
          - type: time_distributed
            layer: {type: dense, units: 5, activation: softmax}
      data: {task: tagged-text, train: d/train.txt, validation: d/dev.txt, vocabulary: 50, tags: 5, max_length: 30%s}
      training: {loss: categorical_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 8}
      """;

  private static final String WORD2VEC = """
      name: w2v
      seed: 1
      model: {type: word2vec, vocabulary: 100, dimension: 8, architecture: skip_gram, window: 2,
              objective: negative_sampling, negatives: 3}
      data: {task: text, train: ja.txt.gz, tokenizer: whitespace, vocabulary: 100%s}
      training: {loss: binary_crossentropy, optimizer: adam, learning_rate: 0.01, epochs: 1, batch_size: 32}
      """;

  @Test
  void taggedTextReadsItsFieldsWithDefaultsAndRoundTrips() {
    Path base = Path.of("/recipes");
    Recipe r = RecipeCodec.parse(TAGGER.formatted(", lowercase: true, min_count: 2, too_long: truncate, batching: bucketed"),
        "t.yaml", base);
    assertEquals(new TaggedTextTask("/recipes/d/train.txt", "/recipes/d/dev.txt", true, 2, 50, 5, 30, true, true), r.data());
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round-trip"));
    TaggedTextTask plain = (TaggedTextTask) RecipeCodec.parse(TAGGER.formatted(""), "t.yaml", base).data();
    assertEquals(new TaggedTextTask("/recipes/d/train.txt", "/recipes/d/dev.txt", false, 1, 50, 5, 30, false, false), plain);
  }

  @Test
  void textReadsItsFieldsWithDefaultsAndRoundTrips() {
    Recipe r = RecipeCodec.parse(WORD2VEC.formatted(", min_count: 5, subsample: 1.0e-3, max_length: 40, lowercase: true,"
        + " queries: [先生, 犬]"), "w.yaml", Path.of("/recipes"));
    assertEquals(new TextCorpusTask("/recipes/ja.txt.gz", ParallelTextTask.Tokenizer.WHITESPACE, true, 5, 100, 1e-3, 40,
        List.of("先生", "犬")), r.data());
    assertEquals(r, RecipeCodec.parse(RecipeCodec.write(r), "round-trip"));
    TextCorpusTask plain = (TextCorpusTask) RecipeCodec.parse(WORD2VEC.formatted(""), "w.yaml", Path.of("/recipes")).data();
    assertEquals(0.0, plain.subsample(), "no subsampling unless asked");
    assertEquals(100, plain.maxLength());
    assertEquals(1, plain.minCount());
  }

  @Test
  void badSettingsAreNamedWithTheirField() {
    RecipeException unknown = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(WORD2VEC.formatted(", subsampling: 1.0e-3"), "w.yaml"));
    assertTrue(unknown.getMessage().contains("data.subsampling") && unknown.getMessage().contains("is not a known field"),
        unknown.getMessage());
    RecipeException negative = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(WORD2VEC.formatted(", subsample: -1"), "w.yaml"));
    assertTrue(negative.getMessage().contains("data.subsample is -1.0, expected 0 (off) or a threshold in (0, 1)"), negative.getMessage());
    RecipeException width = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(TAGGER.formatted("").replace("tags: 5", "tags: 4"), "t.yaml"));
    assertTrue(width.getMessage().contains("outputs (None, None, 5) but task 'tagged-text' has targets (None, None, 4)"), width.getMessage());
    RecipeException vocabulary = assertThrows(RecipeException.class,
        () -> RecipeCodec.parse(WORD2VEC.formatted("").replace("vocabulary: 100}", "vocabulary: 90}"), "w.yaml"));
    assertTrue(vocabulary.getMessage().contains("has vocabulary 100 but task 'text' has 90 words"), vocabulary.getMessage());
  }
}

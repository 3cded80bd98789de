package dev.rnnx.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rnnx.data.TextLines;
import dev.rnnx.spec.Recipe;
import dev.rnnx.spec.RecipeCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Tanaka experiment on a slice of the shipped corpus with tiny models: outputs, resumption, refusals. */
class TanakaExperimentTest {

  static final Path DATA = Path.of("models/data/tanaka-enja").toAbsolutePath();

  /** A tiny recipe of the given model section on the shipped corpus. */
  static String recipe(String name, String encoder, String decoder, int embedding) {
    return "name: tiny-" + name + "\nseed: 3\nmodel:\n  type: seq2seq\n  source_vocabulary: 300\n  target_vocabulary: 300\n"
        + "  embedding_dim: " + embedding + "\n  max_source_length: 16\n  max_target_length: 17\n  encoder: " + encoder
        + "\n  decoder: " + decoder + "\ndata:\n  task: parallel-text\n"
        + "  train_source: " + DATA.resolve("train.en.gz") + "\n  train_target: " + DATA.resolve("train.ja.gz") + "\n"
        + "  validation_source: " + DATA.resolve("dev.en.gz") + "\n  validation_target: " + DATA.resolve("dev.ja.gz") + "\n"
        + "  tokenizer: whitespace\n  min_count: 2\n  source_vocabulary: 300\n  target_vocabulary: 300\n"
        + "  max_source_length: 16\n  max_target_length: 17\n  too_long: drop\n"
        + "training:\n  loss: categorical_crossentropy\n  optimizer: adam\n  learning_rate: 0.01\n  epochs: 2\n  batch_size: 64\n"
        + "  clipping: {by: global_norm, threshold: 5.0}\n  metrics: [accuracy]\n";
  }

  static Map<String, Recipe> tiny(String... names) {
    Map<String, Recipe> all = new LinkedHashMap<>();
    for (String n : names) {
      String yaml = switch (n) {
        case "rnn" -> recipe(n, "{type: rnn, cell: lstm, units: 24}", "{type: rnn, cell: lstm, units: 24}", 16);
        case "attention" -> recipe(n, "{type: rnn, cell: lstm, units: 16}",
            "{type: rnn, cell: lstm, units: 16, attention: additive, attention_units: 8}", 16);
        default -> recipe(n, "{type: transformer, layers: 1, heads: 2, ff_dim: 32}",
            "{type: transformer, layers: 1, heads: 2, ff_dim: 32}", 16);
      };
      all.put(n, RecipeCodec.parse(yaml, n + ".yaml"));
    }
    return all;
  }

  static TanakaOptions.Builder options(Path out) {
    return TanakaOptions.builder().out(out).epochs(2).limitPairs(300).devSentences(100).test(DATA.resolve("test.en.gz"), DATA.resolve("test.ja.gz"));
  }

  @Test
  void trainsTheThreeModelsAndWritesHypothesesAndTheComparison(@TempDir Path dir) throws Exception {
    TanakaOptions o = options(dir).build();
    TanakaExperiment.Outcome outcome = TanakaExperiment.run(tiny("rnn", "attention", "transformer"), o);
    assertTrue(outcome.complete());
    assertEquals(6, outcome.epochsTrained());
    int testLines = TextLines.read(DATA.resolve("test.ja.gz")).size();
    assertEquals(500, testLines);
    for (TanakaExperiment.ModelResult r : outcome.models()) {
      assertEquals(2, r.epochs().size());
      for (TanakaEpoch e : r.epochs()) {
        assertTrue(e.devBleu() >= 0 && e.devBleu() <= 100, r.name() + " dev BLEU " + e.devBleu());
        assertTrue(Double.isFinite(e.validationLoss()) && e.validationLoss() > 0 && e.trainSeconds() > 0);
      }
      assertTrue(r.epochs().get(1).validationLoss() < r.epochs().get(0).validationLoss(), r.name() + " learns");
      assertTrue(r.testBleu() >= 0 && r.testBleu() <= 100);
      List<String> lines = Files.readAllLines(r.hypotheses());
      assertEquals(testLines, lines.size(), "one translation per line of test.ja");
      assertTrue(lines.stream().anyMatch(l -> !l.isBlank()));
      assertTrue(Files.exists(dir.resolve(r.name()).resolve("epoch-02.json")));
    }
    String md = TanakaExperiment.report(outcome, o, 1);
    assertTrue(md.contains("| transformer |") && md.contains("Seed 001") && md.contains("**Ranking**"), md);
    assertTrue(Files.size(dir.resolve("curves.png")) > 1000);
    JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertEquals(3, json.get("models").size());
    assertTrue(json.get("max_heap_mib").asLong() > 0 && json.get("peak_heap_used_mib").asLong() > 0);
    assertEquals(300, json.path("data").path("training").path("pairs_read").asInt());
  }

  @Test
  void anInterruptedRunResumesToTheWeightsOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
    Map<String, Recipe> recipes = tiny("rnn");
    TanakaExperiment.Outcome whole = TanakaExperiment.run(recipes, options(dir.resolve("whole")).build());
    TanakaOptions interrupted = options(dir.resolve("resumed")).stopAfterEpochs(1).build();
    TanakaExperiment.Outcome first = TanakaExperiment.run(recipes, interrupted);
    assertFalse(first.complete());
    assertEquals(1, first.models().get(0).epochs().size());
    assertNull(first.models().get(0).hypotheses());
    assertFalse(Files.exists(dir.resolve("resumed/rnn/epoch-02.json")));
    TanakaExperiment.Outcome rest = TanakaExperiment.run(recipes, options(dir.resolve("resumed")).build());
    assertTrue(rest.complete());
    assertEquals(1, rest.epochsTrained(), "epoch 1 is read from disk, not trained again");
    TanakaExperiment.ModelResult a = whole.models().get(0);
    TanakaExperiment.ModelResult b = rest.models().get(0);
    assertEquals(a.weights(), b.weights(), "same seed, same weights after an interruption");
    assertEquals(Files.readString(a.hypotheses()), Files.readString(b.hypotheses()));
    for (int e = 0; e < 2; e++) {
      assertEquals(a.epochs().get(e).validationLoss(), b.epochs().get(e).validationLoss());
      assertEquals(a.epochs().get(e).devBleu(), b.epochs().get(e).devBleu());
    }
    assertEquals(a.testBleu(), b.testBleu());
    TanakaExperiment.Outcome again = TanakaExperiment.run(recipes, options(dir.resolve("resumed")).build());
    assertEquals(0, again.epochsTrained(), "a finished run trains nothing");
    assertEquals(a.weights(), again.models().get(0).weights());
    // a finished folder refuses another slice and fewer epochs, before writing anything
    Path resumed = dir.resolve("resumed");
    IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
        () -> TanakaExperiment.run(recipes, options(resumed).limitPairs(200).build()));
    assertTrue(other.getMessage().contains("setup.json") && other.getMessage().contains("use another --out"), other.getMessage());
    IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
        () -> TanakaExperiment.run(recipes, options(resumed).epochs(1).build()));
    assertTrue(fewer.getMessage().contains("more than 1 epochs"), fewer.getMessage());
    assertEquals(300, TextLines.read(resumed.resolve("slice-0/train.source.txt")).size(), "the slice is left as it was");
  }

  @Test
  void refusesRecipesOfAnotherKind(@TempDir Path dir) {
    Recipe sine = RecipeCodec.read(Path.of("models/sine-lstm.yaml"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TanakaExperiment.run(Map.of("rnn", sine), options(dir).build()));
    assertTrue(e.getMessage().contains("not a seq2seq recipe on parallel-text"), e.getMessage());
    assertEquals(0, dir.toFile().list().length, "nothing written");
  }
}

package dev.rnnx.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.spec.ModelForm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batched generation through {@link RnnxModel} on both DJL engines (ONNX Runtime on the
 * {@code <form>.onnx} files, TensorFlow on the SavedModels), for an RNN, an RNN with attention and a
 * Transformer: {@link RnnxModel#generateAll} (sources of different lengths in one batch, one decoder
 * call per step for every live hypothesis of every source) gives the tokens that {@link
 * Seq2SeqGenerator#generate} gives one sentence and one hypothesis at a time, scores within float
 * rounding; a Transformer run decodes with its key-value cache, and without it gives the same tokens.
 */
class BatchedGenerationTest {

  @TempDir
  static Path dir;

  static final List<String> TEXTS = List.of("7 march 1998", "saturday, the 7th of march, 1998", "12/03/2001", "1 jan 2010",
      "tuesday 14 february 1984", "3.4.05", "august 30, 1971");

  static final String[][] MODELS = {
      {"rnn", "{type: rnn, cell: gru, units: 8}", "{type: rnn, cell: gru, units: 8}"},
      {"attention", "{type: rnn, cell: lstm, units: 8}", "{type: rnn, cell: lstm, units: 8, attention: additive, attention_units: 6}"},
      {"transformer", "{type: transformer, layers: 2, heads: 2, ff_dim: 16}", "{type: transformer, layers: 2, heads: 2, ff_dim: 16}"}};

  @BeforeAll
  static void runs() throws Exception {
    for (String[] m : MODELS) {
      Seq2SeqRuns.of(dir.resolve(m[0]), Seq2SeqRuns.dates(m[0], m[1], m[2]), true);
    }
  }

  static RnnxModel load(String name, String engine) {
    return RnnxModel.builder(dir.resolve(name)).optEngine(engine).optPoolSize(1).optWarmUp(false).build();
  }

  @Test
  void batchedGenerationEqualsOneByOneOnBothEngines() {
    SearchOptions beam = new SearchOptions(4, 0.6, 0);
    int ended = 0;
    for (String[] m : MODELS) {
      for (String engine : List.of(RnnxModel.ONNX_RUNTIME, RnnxModel.TENSORFLOW)) {
        try (RnnxModel model = load(m[0], engine)) {
          Seq2SeqGenerator generator = model.generator();
          assertEquals(m[0].equals("transformer"), generator.cached(), m[0] + " on " + engine + " decodes with the cache");
          for (SearchOptions options : List.of(SearchOptions.GREEDY, beam)) {
            List<Generation> batched = model.generateAll(TEXTS, options, 3);
            assertEquals(TEXTS.size(), batched.size());
            for (int i = 0; i < TEXTS.size(); i++) {
              Generation alone = generator.generate(TEXTS.get(i), options);
              String what = m[0] + " on " + engine + ", width " + options.beamWidth() + ", '" + TEXTS.get(i) + "'";
              assertArrayEquals(alone.tokens(), batched.get(i).tokens(), what);
              assertEquals(alone.text(), batched.get(i).text(), what);
              assertEquals(alone.alternatives(), batched.get(i).alternatives(), what);
              assertEquals(alone.score(), batched.get(i).score(), 1e-4, what);
              ended += alone.tokens().length < 11 ? 1 : 0;
            }
          }
        }
      }
    }
    assertTrue(ended > 10, ended + " outputs ended before the length limit");
  }

  @Test
  void theKeyValueCacheGivesTheTokensOfTheStepForm() {
    for (String engine : List.of(RnnxModel.ONNX_RUNTIME, RnnxModel.TENSORFLOW)) {
      try (RnnxModel model = load("transformer", engine)) {
        assertTrue(model.forms().contains(ModelForm.DECODER_STEP_CACHED), model.forms().toString());
        Seq2SeqGenerator cached = model.generator();
        Seq2SeqGenerator plain = cached.withoutCache();
        assertFalse(plain.cached());
        SearchOptions options = new SearchOptions(3, 0.6, 0);
        List<long[]> sources = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
          sources.add(new long[] {5 + i % 30, 7, 11 + i, 9, 4 + i}); // ids of the source vocabulary, lengths 5
        }
        sources.add(new long[] {6, 8});
        List<BeamSearch.Result> withCache = cached.searchAll(sources, options);
        List<BeamSearch.Result> without = plain.searchAll(sources, options);
        for (int i = 0; i < sources.size(); i++) {
          BeamSearch.Result alone = plain.search(sources.get(i), options);
          for (BeamSearch.Result r : List.of(withCache.get(i), without.get(i))) {
            assertEquals(alone.finished().size(), r.finished().size(), engine + " source " + i);
            for (int h = 0; h < r.finished().size(); h++) {
              assertArrayEquals(alone.finished().get(h).tokens(), r.finished().get(h).tokens(), engine + " source " + i);
              assertEquals(alone.finished().get(h).logProb(), r.finished().get(h).logProb(), 1e-4, engine + " source " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void refusesAnEmptyOrTooLongTextByItsIndexBeforeDecoding() {
    try (RnnxModel model = load("attention", RnnxModel.ONNX_RUNTIME)) {
      IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
          () -> model.generateAll(List.of("7 march 1998", ""), SearchOptions.GREEDY, 2));
      assertTrue(empty.getMessage().startsWith("input 1 is empty"), empty.getMessage());
      IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
          () -> model.generateAll(List.of("x".repeat(41)), SearchOptions.GREEDY, 2));
      assertTrue(tooLong.getMessage().contains("input 0 has 41 tokens"), tooLong.getMessage());
      assertThrows(IllegalArgumentException.class, () -> model.generateAll(List.of("7 march 1998"), SearchOptions.GREEDY, 0));
      assertEquals(List.of(), model.generateAll(List.of(), SearchOptions.GREEDY, 4));
    }
  }
}

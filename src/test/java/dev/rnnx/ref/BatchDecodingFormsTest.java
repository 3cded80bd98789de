package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.decode.BatchFormDecoder;
import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.CachedFormDecoder;
import dev.rnnx.decode.Decoder;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.decode.SearchOptions;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Batched decoding over the reference forms: {@link BeamSearch#searchAll} over {@link
 * BatchFormDecoder} (sources of different lengths padded into one batch, one decoder call per step
 * for every live hypothesis of every source) finds what {@link BeamSearch#search} finds source by
 * source and hypothesis by hypothesis, each source encoded alone without padding: the same
 * hypotheses in the same order, log-probabilities within float rounding.
 */
class BatchDecodingFormsTest {

  static List<Seq2Seq> models() {
    return Seq2SeqTest.models().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("models")
  void oneCallPerStepFindsWhatOneByOneFinds(Seq2Seq spec) {
    Weights w = Seq2SeqTest.eosLikely(spec, Seq2SeqTest.weights(spec, 4));
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, w);
    LongTensor src = Seq2SeqTest.source(5);
    Map<String, FloatTensor> enc = forms.get(ModelForm.ENCODER).run(Seq2SeqTest.map("source", src, "source_lengths",
        Seq2SeqTest.lengths()));
    for (int width : new int[] {1, 3}) {
      SearchOptions options = new SearchOptions(width, 0.6, 0);
      AtomicInteger batchedCalls = new AtomicInteger();
      List<BeamSearch.Result> batched = BeamSearch.searchAll(
          BatchFormDecoder.steps(spec, counted(forms.get(ModelForm.DECODER_STEP), batchedCalls), enc, Seq2SeqTest.LENGTHS),
          options, Seq2SeqTest.MAX_T);
      AtomicInteger singleCalls = new AtomicInteger();
      for (int b = 0; b < Seq2SeqTest.B; b++) {
        Decoder<?> alone = new FormDecoder(spec, counted(forms.get(ModelForm.DECODER_STEP), singleCalls), encodeAlone(forms, src, b),
            0, Seq2SeqTest.LENGTHS[b]);
        assertSame(BeamSearch.search(alone, options, Seq2SeqTest.MAX_T), batched.get(b), spec + " width " + width + " source " + b);
      }
      assertTrue(batchedCalls.get() <= Seq2SeqTest.MAX_T, batchedCalls + " calls for " + Seq2SeqTest.MAX_T + " steps at most");
      assertTrue(singleCalls.get() > 2 * batchedCalls.get(), singleCalls + " calls one by one vs " + batchedCalls + " batched");
    }
  }

  @Test
  void theCachedFormBatchesLikeTheStepForm() {
    Seq2Seq spec = Seq2SeqTest.transformer();
    Weights w = Seq2SeqTest.eosLikely(spec, Seq2SeqTest.weights(spec, 7));
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, w);
    LongTensor src = Seq2SeqTest.source(8);
    Map<String, FloatTensor> enc = forms.get(ModelForm.ENCODER).run(Seq2SeqTest.map("source", src, "source_lengths",
        Seq2SeqTest.lengths()));
    Map<String, FloatTensor> cross = forms.get(ModelForm.DECODER_CROSS_CACHE).run(Map.of("memory", enc.get("memory")));
    SearchOptions options = new SearchOptions(4, 0.6, 0);
    AtomicInteger calls = new AtomicInteger();
    List<BeamSearch.Result> batched = BeamSearch.searchAll(
        BatchFormDecoder.cached(spec, counted(forms.get(ModelForm.DECODER_STEP_CACHED), calls), cross, Seq2SeqTest.LENGTHS),
        options, Seq2SeqTest.MAX_T);
    for (int b = 0; b < Seq2SeqTest.B; b++) {
      Map<String, FloatTensor> alone = encodeAlone(forms, src, b);
      Decoder<?> plain = new FormDecoder(spec, forms.get(ModelForm.DECODER_STEP)::run, alone, 0, Seq2SeqTest.LENGTHS[b]);
      Decoder<?> cached = new CachedFormDecoder(spec, forms.get(ModelForm.DECODER_STEP_CACHED)::run,
          forms.get(ModelForm.DECODER_CROSS_CACHE).run(Map.of("memory", alone.get("memory"))), Seq2SeqTest.LENGTHS[b]);
      assertSame(BeamSearch.search(plain, options, Seq2SeqTest.MAX_T), batched.get(b), "plain, source " + b);
      assertSame(BeamSearch.search(cached, options, Seq2SeqTest.MAX_T), batched.get(b), "cached, source " + b);
    }
    assertTrue(calls.get() <= Seq2SeqTest.MAX_T, calls + " calls");
  }

  @Test
  void refusesAnEncoderBatchThatDoesNotMatchTheLengths() {
    Seq2Seq spec = Seq2SeqTest.transformer();
    Map<String, ReferenceForm> forms = ReferenceForms.of(spec, Seq2SeqTest.weights(spec, 1));
    Map<String, FloatTensor> enc = forms.get(ModelForm.ENCODER).run(Seq2SeqTest.map("source", Seq2SeqTest.source(1),
        "source_lengths", Seq2SeqTest.lengths()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BatchFormDecoder.steps(spec, forms.get(ModelForm.DECODER_STEP)::run, enc, new long[] {3, 2}));
    assertTrue(e.getMessage().contains("memory") && e.getMessage().contains("2 rows"), e.getMessage());
    IllegalArgumentException rnn = assertThrows(IllegalArgumentException.class, () -> BatchFormDecoder.cached(
        Seq2SeqTest.rnn(dev.rnnx.spec.Cell.GRU, null), forms.get(ModelForm.DECODER_STEP)::run, enc, Seq2SeqTest.LENGTHS));
    assertTrue(rnn.getMessage().contains("Transformer"), rnn.getMessage());
  }

  /** The hypotheses of two searches: the same tokens in the same order, log-probabilities and scores within 1e-5. */
  static void assertSame(BeamSearch.Result expected, BeamSearch.Result actual, String what) {
    assertEquals(expected.finished().size(), actual.finished().size(), what);
    for (int i = 0; i < expected.finished().size(); i++) {
      assertArrayEquals(expected.finished().get(i).tokens(), actual.finished().get(i).tokens(), what + ", hypothesis " + i);
      assertEquals(expected.finished().get(i).logProb(), actual.finished().get(i).logProb(), 1e-5, what);
      assertEquals(expected.finished().get(i).score(), actual.finished().get(i).score(), 1e-5, what);
    }
    assertArrayEquals(expected.best().tokens(), actual.best().tokens(), what + ", best");
  }

  /** The encoder's outputs for source {@code b} alone, at its own length (no padding). */
  static Map<String, FloatTensor> encodeAlone(Map<String, ReferenceForm> forms, LongTensor src, int b) {
    int len = (int) Seq2SeqTest.LENGTHS[b];
    long[] row = Arrays.copyOfRange(src.data(), b * Seq2SeqTest.MAX_S, b * Seq2SeqTest.MAX_S + len);
    return forms.get(ModelForm.ENCODER).run(Seq2SeqTest.map("source", LongTensor.of(row, 1, len), "source_lengths",
        LongTensor.of(new long[] {len}, 1)));
  }

  static Function<Map<String, Tensor>, Map<String, FloatTensor>> counted(ReferenceForm form, AtomicInteger calls) {
    return in -> {
      calls.incrementAndGet();
      return form.run(in);
    };
  }
}

package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.decode.BeamSearch;
import dev.rnnx.decode.CachedFormDecoder;
import dev.rnnx.decode.FormDecoder;
import dev.rnnx.decode.Greedy;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.InvalidInputException;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.Tensor;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The reference {@code decoder_cross_cache} and {@code decoder_step_cached} forms, driven by
 * {@link CachedFormDecoder}, against {@code decoder_step} driven by {@link FormDecoder}: the same
 * greedy and beam-search tokens, log-probabilities within float rounding.
 */
class KvCacheFormsTest {

  static Function<Map<String, Tensor>, Map<String, FloatTensor>> run(ReferenceForm form) {
    return in -> {
      Map<String, FloatTensor> out = new LinkedHashMap<>();
      form.forward(in).forEach((k, v) -> out.put(k, v.toFloat()));
      return out;
    };
  }

  @Test
  void cachedFormsDecodeLikeTheStepForm() {
    Seq2Seq spec = TransformerKvCacheTest.model();
    int checked = 0;
    for (long seed = 1; seed <= 2; seed++) {
      Weights w = RefFixtures.weights(spec, seed, 0.8);
      Map<String, ReferenceForm> forms = ReferenceForms.of(spec, w);
      long[] lengths = TransformerKvCacheTest.LENGTHS;
      long[] ids = new long[lengths.length * 9];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = (i * 7 + seed) % TransformerKvCacheTest.VS;
      }
      Map<String, FloatTensor> enc = run(forms.get(ModelForm.ENCODER)).apply(Map.of("source", LongTensor.of(ids, lengths.length, 9),
          "source_lengths", LongTensor.of(lengths.clone(), lengths.length)));
      for (int b = 0; b < lengths.length; b++) {
        FormDecoder plain = new FormDecoder(spec, run(forms.get(ModelForm.DECODER_STEP)), enc, b, lengths[b]);
        FloatTensor m = enc.get("memory");
        int row = (int) (m.shape()[1] * m.shape()[2]);
        FloatTensor memoryRow = new FloatTensor(new long[] {1, m.shape()[1], m.shape()[2]},
            java.util.Arrays.copyOfRange(m.data(), b * row, (b + 1) * row));
        Map<String, FloatTensor> cross = run(forms.get(ModelForm.DECODER_CROSS_CACHE)).apply(Map.of("memory", memoryRow));
        CachedFormDecoder cached = new CachedFormDecoder(spec, run(forms.get(ModelForm.DECODER_STEP_CACHED)), cross, lengths[b]);
        int[] greedy = Greedy.decode(plain, spec.maxTargetLength());
        assertArrayEquals(greedy, Greedy.decode(cached, spec.maxTargetLength()));
        BeamSearch.Result p = BeamSearch.search(plain, 3, 0.6, spec.maxTargetLength());
        BeamSearch.Result c = BeamSearch.search(cached, 3, 0.6, spec.maxTargetLength());
        assertEquals(p.finished().size(), c.finished().size());
        for (int i = 0; i < p.finished().size(); i++) {
          assertArrayEquals(p.finished().get(i).tokens(), c.finished().get(i).tokens());
          assertEquals(p.finished().get(i).logProb(), c.finished().get(i).logProb(), 1e-4);
        }
        double[][] a = plain.follow(greedy);
        double[][] z = cached.follow(greedy);
        for (int t = 0; t < a.length; t++) {
          assertArrayEquals(a[t], z[t], 1e-5);
        }
        checked += greedy.length;
      }
    }
    assertTrue(checked > 6, "decoded " + checked + " tokens");
  }

  @Test
  void refusesACacheOfTheWrongShapeOrLength() {
    Seq2Seq spec = TransformerKvCacheTest.model();
    ReferenceForm step = ReferenceForms.form(spec, RefFixtures.weights(spec, 1, 0.5), ModelForm.DECODER_STEP_CACHED);
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("token", LongTensor.of(new long[] {3}, 1));
    in.put("source_lengths", LongTensor.of(new long[] {2}, 1));
    for (int i = 0; i < 3; i++) {
      in.put("cross_key_" + i, new FloatTensor(new long[] {1, 4, 2, 2}, new float[16]));
      in.put("cross_value_" + i, new FloatTensor(new long[] {1, 4, 2, 2}, new float[16]));
      in.put("past_key_" + i, new FloatTensor(new long[] {1, 4, 20, 2}, new float[160]));
      in.put("past_value_" + i, new FloatTensor(new long[] {1, 4, 20, 2}, new float[160]));
    }
    InvalidInputException tooLong = assertThrows(InvalidInputException.class, () -> step.forward(in));
    assertTrue(tooLong.getMessage().contains("past_time"), tooLong.getMessage());
    in.put("past_key_1", new FloatTensor(new long[] {1, 2, 1, 4}, new float[8]));
    InvalidInputException shape = assertThrows(InvalidInputException.class, () -> step.forward(in));
    assertTrue(shape.getMessage().contains("past_key_1"), shape.getMessage());
  }
}

package dev.rnnx.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * word2vec's {@code embedding} and {@code most_similar} forms on ONNX Runtime and on the reference
 * evaluator against a plain-Java oracle: cosines in double precision, the query word and the
 * special ids excluded, ties to the lower index, a zero row scoring 0.
 */
class Word2VecFormsTest {

  static final int V = 12;
  static final int D = 4;

  static Word2Vec model() {
    return new Word2Vec("w2v", V, D, Word2Vec.Architecture.SKIP_GRAM, 2, Word2Vec.Objective.NEGATIVE_SAMPLING, 3);
  }

  /**
   * Seeded vectors; rows 6 and 9 are equal (an exact tie for every query), row 11 is zero, row 5
   * points like special id 1 (which is excluded). Vectors of the same direction but different
   * lengths would tie only up to rounding: their unit rows differ in the last float32 bit, and a
   * float32 runtime and the double-precision evaluator may then order them differently.
   */
  static Weights weights() {
    Weights w = TestModels.randomWeights(model().parameters(), 17, 3.0);
    Map<String, FloatTensor> t = new LinkedHashMap<>(w.tensors());
    float[] e = t.get("embeddings").data().clone();
    for (int j = 0; j < D; j++) {
      e[9 * D + j] = e[6 * D + j];
      e[11 * D + j] = 0f;
      e[5 * D + j] = 0.5f * e[1 * D + j];
    }
    t.put("embeddings", FloatTensor.of(e, V, D));
    return new Weights(t);
  }

  /** The oracle: for each query id, the k best other text words by cosine, lower id first on ties. */
  static List<long[]> oracleIndices(float[] e, long[] ids, int k, List<double[]> scores) {
    List<long[]> out = new ArrayList<>();
    for (long q : ids) {
      double[] cos = new double[V];
      for (int v = 0; v < V; v++) {
        double dot = 0;
        double nq = 0;
        double nv = 0;
        for (int j = 0; j < D; j++) {
          dot += (double) e[(int) q * D + j] * e[v * D + j];
          nq += (double) e[(int) q * D + j] * e[(int) q * D + j];
          nv += (double) e[v * D + j] * e[v * D + j];
        }
        cos[v] = nq == 0 || nv == 0 ? 0 : dot / Math.sqrt(nq * nv);
        if (v == q || v < SpecialTokens.FIRST_TEXT) {
          cos[v] = -2;
        }
      }
      Integer[] order = new Integer[V];
      for (int v = 0; v < V; v++) {
        order[v] = v;
      }
      // ties: equal float32 cosines (the runtimes compare float32 scores) keep the lower id first
      Arrays.sort(order, (a, b) -> {
        int c = Float.compare((float) cos[b], (float) cos[a]);
        return c != 0 ? c : Integer.compare(a, b);
      });
      long[] best = new long[k];
      double[] s = new double[k];
      for (int i = 0; i < k; i++) {
        best[i] = order[i];
        s[i] = cos[order[i]];
      }
      out.add(best);
      scores.add(s);
    }
    return out;
  }

  @ParameterizedTest(name = "opset {0}")
  @ValueSource(ints = {11, 17, 23})
  void formsMatchTheOracle(int opset) throws Exception {
    Weights w = weights();
    Map<String, OnnxMl.ModelProto> forms = OnnxExporter.export(model(), w, opset, TestModels.provenance());
    assertEquals(List.of(ModelForm.EMBEDDING, ModelForm.MOST_SIMILAR), List.copyOf(forms.keySet()));
    float[] e = w.get("embeddings").data();
    long[] ids = {6, 9, 4, 11, 5, 0};
    int k = 5;
    List<double[]> scores = new ArrayList<>();
    List<long[]> want = oracleIndices(e, ids, k, scores);
    try (FormBackends backends = new FormBackends(forms)) {
      for (FormBackends.Backend backend : backends.both()) {
        String on = "opset " + opset + " on " + backend.name() + ": ";
        Value vectors = backend.run(ModelForm.EMBEDDING, Map.of("ids", Value.ofInt64(new long[] {3}, 2, 9, 2))).get("vectors");
        assertArrayEquals(new long[] {3, D}, vectors.shape());
        for (int j = 0; j < D; j++) {
          assertEquals(e[9 * D + j], vectors.getDouble(D + j), 0, on + "vectors are the embedding rows");
        }
        Map<String, Value> out = backend.run(ModelForm.MOST_SIMILAR, Map.of("ids", Value.ofInt64(new long[] {ids.length}, ids),
            "k", Value.ofInt64(new long[] {1}, k)));
        assertEquals(List.of("indices", "scores"), List.copyOf(out.keySet()), on + "output order");
        Value indices = out.get("indices");
        assertEquals(DataType.INT64, indices.type());
        assertArrayEquals(new long[] {ids.length, k}, indices.shape());
        for (int q = 0; q < ids.length; q++) {
          long[] got = Arrays.copyOfRange(indices.toLongArray(), q * k, (q + 1) * k);
          assertArrayEquals(want.get(q), got, on + "query " + ids[q]);
          for (int i = 0; i < k; i++) {
            assertEquals(scores.get(q)[i], out.get("scores").getDouble(q * k + i), 1e-5, on + "score " + i + " of query " + ids[q]);
          }
        }
      }
    }
    // the tie: 6 and 9 are equal, so each is the other's nearest word at cosine 1
    assertEquals(9, want.get(0)[0]);
    assertEquals(6, want.get(1)[0]);
    // a zero row scores 0 against every word and never wins over a positive cosine
    assertTrue(Arrays.stream(scores.get(3)).allMatch(s -> s == 0 || s == -2));
  }

  @Test
  void opsetsWithoutTopKsTieRuleAreRefused() {
    OnnxExportException ex = assertThrows(OnnxExportException.class,
        () -> OnnxExporter.export(model(), weights(), 10, TestModels.provenance()));
    assertEquals("model 'w2v' (word2vec) needs opset 11 or newer (TopK's tie rule, Gemm without C), got opset 10",
        ex.getMessage());
  }
}

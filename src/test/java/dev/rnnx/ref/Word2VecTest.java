package dev.rnnx.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** word2vec's two forms on a hand-made table. */
class Word2VecTest {

  /** Ids 0–3 special; 4 (1,0), 5 (2,0) parallel to 4, 6 (0,1), 7 (1,1), 8 (0,0), 9 (−1,0). */
  static final float[][] TABLE = {{9, 9}, {9, 9}, {9, 9}, {9, 9}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {0, 0}, {-1, 0}};

  static final Word2Vec SPEC = new Word2Vec("w2v", 10, 2, Word2Vec.Architecture.SKIP_GRAM, 2, Word2Vec.Objective.NEGATIVE_SAMPLING, 3);

  static Weights weights() {
    float[] e = new float[20];
    for (int i = 0; i < 10; i++) {
      e[2 * i] = TABLE[i][0];
      e[2 * i + 1] = TABLE[i][1];
    }
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("embeddings", new FloatTensor(new long[] {10, 2}, e));
    m.put("context", FloatTensor.zeros(10, 2));
    return new Weights(m);
  }

  static Map<String, Tensor> in(long[] ids, long k) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("ids", LongTensor.of(ids, ids.length));
    if (k >= 0) {
      m.put("k", LongTensor.of(new long[] {k}, 1));
    }
    return m;
  }

  @Test
  void embeddingIsTheRowsOfTheTable() {
    Map<String, ReferenceForm> forms = ReferenceForms.of(SPEC, weights());
    assertEquals(List.of(ModelForm.EMBEDDING, ModelForm.MOST_SIMILAR), List.copyOf(forms.keySet()));
    DoubleTensor v = forms.get(ModelForm.EMBEDDING).forward(in(new long[] {7, 0, 9}, -1)).get("vectors");
    assertArrayEquals(new long[] {3, 2}, v.shape());
    assertArrayEquals(new double[] {1, 1, 9, 9, -1, 0}, v.data(), 0.0);
  }

  @Test
  void mostSimilarRanksByCosineExcludingTheQueryAndTheSpecials() {
    ReferenceForm form = ReferenceForms.form(SPEC, weights(), ModelForm.MOST_SIMILAR);
    Map<String, DoubleTensor> out = form.forward(in(new long[] {4, 7, 8}, 5));
    assertArrayEquals(new long[] {3, 5}, out.get("indices").shape());
    double r = Math.sqrt(0.5);
    // query 4 (1,0): 5 → 1, 7 → √½, then 6 and 8 tie at 0 (lower id first), 9 → −1; specials (cos √½·… ) never appear
    assertArrayEquals(new double[] {5, 7, 6, 8, 9}, row(out.get("indices"), 0), 0.0);
    assertArrayEquals(new double[] {1, r, 0, 0, -1}, row(out.get("scores"), 0), 1e-15);
    // query 7 (1,1)/√2: 4, 5, 6 tie at √½ (ids ascending), 8 → 0, 9 → −√½
    assertArrayEquals(new double[] {4, 5, 6, 8, 9}, row(out.get("indices"), 1), 0.0);
    assertArrayEquals(new double[] {r, r, r, 0, -r}, row(out.get("scores"), 1), 1e-15);
    // a zero vector stays zero: every cosine is 0, so the lowest ids come first
    assertArrayEquals(new double[] {4, 5, 6, 7, 9}, row(out.get("indices"), 2), 0.0);
    assertArrayEquals(new double[] {0, 0, 0, 0, 0}, row(out.get("scores"), 2), 0.0);
    Map<String, DoubleTensor> one = form.forward(in(new long[] {9}, 1));
    assertArrayEquals(new double[] {6}, one.get("indices").data(), 0.0, "for (−1,0): 6 and 8 score 0 (lower id first), 7 −√½");
  }

  @Test
  void badQueriesAreRefused() {
    ReferenceForm form = ReferenceForms.form(SPEC, weights(), ModelForm.MOST_SIMILAR);
    assertEquals(5, new RefWord2Vec(SPEC, weights()).maxK());
    for (long k : new long[] {0, 6}) {
      String msg = assertThrows(IllegalArgumentException.class, () -> form.forward(in(new long[] {4}, k))).getMessage();
      assertTrue(msg.contains("expected 1 … 5"), msg);
    }
    String msg = assertThrows(IllegalArgumentException.class, () -> form.forward(in(new long[] {10}, 1))).getMessage();
    assertTrue(msg.contains("input 'ids' holds 10 at [0], expected 0 … 9 (word ids of the vocabulary)"), msg);
  }

  /**
   * most_similar as ONNX's standard ops spell it: ReduceL2 and Div normalise the rows, Gather picks
   * the queries, MatMul with the transposed table gives the cosines, Where puts −2 (below any
   * cosine) on the query and the specials, TopK (ties to the lower index) picks k. Random table, no
   * zero rows (the graph would divide by zero there); ties made on purpose by duplicate rows.
   */
  @Test
  void mostSimilarMatchesAnOnnxTopKGraph() {
    int v = 12;
    int d = 3;
    java.util.Random r = new java.util.Random(5);
    float[] e = new float[v * d];
    for (int i = 0; i < e.length; i++) {
      e[i] = (float) r.nextGaussian();
    }
    System.arraycopy(e, 6 * d, e, 9 * d, d); // rows 6 and 9 equal: tied scores for every query
    Map<String, FloatTensor> m = new LinkedHashMap<>();
    m.put("embeddings", new FloatTensor(new long[] {v, d}, e));
    m.put("context", FloatTensor.zeros(v, d));
    Word2Vec spec = new Word2Vec("w", v, d, Word2Vec.Architecture.CBOW, 1, Word2Vec.Objective.NEGATIVE_SAMPLING, 1);
    long[] ids = {4, 6, 11, 0};
    int k = 7;
    Map<String, DoubleTensor> ours = ReferenceForms.form(spec, new Weights(m), ModelForm.MOST_SIMILAR).forward(in(ids, k));

    TinyGraph g = new TinyGraph(17);
    String table = g.constant(dev.rnnx.ref.onnx.Value.of(dev.rnnx.ref.onnx.DataType.DOUBLE,
        DoubleTensor.of(new FloatTensor(new long[] {v, d}, e))));
    String query = g.input("ids", dev.rnnx.ref.onnx.Value.ofInt64(new long[] {ids.length}, ids));
    String unit = g.op("Div", List.of(table, g.op("ReduceL2", List.of(table), TinyGraph.intsAttr("axes", 1),
        TinyGraph.intAttr("keepdims", 1))));
    String cosines = g.op("MatMul", List.of(g.op("Gather", List.of(unit, query), TinyGraph.intAttr("axis", 0)),
        g.op("Transpose", List.of(unit))));
    long[] range = new long[v];
    for (int i = 0; i < v; i++) {
      range[i] = i;
    }
    String all = g.constant(dev.rnnx.ref.onnx.Value.ofInt64(new long[] {1, v}, range));
    String isQuery = g.op("Equal", List.of(g.op("Unsqueeze", List.of(query, g.constant(dev.rnnx.ref.onnx.Value.ofInt64(
        new long[] {1}, 1)))), all));
    String isSpecial = g.op("Less", List.of(all, g.constant(dev.rnnx.ref.onnx.Value.ofInt64(new long[] {}, 4))));
    String masked = g.op("Where", List.of(g.op("Or", List.of(isQuery, isSpecial)),
        g.constant(dev.rnnx.ref.onnx.Value.ofDoubles(dev.rnnx.ref.onnx.DataType.DOUBLE, new long[] {}, new double[] {-2})),
        cosines));
    TinyGraph.Outputs top = g.runAll(List.of(g.op2("TopK", List.of(masked, g.constant(dev.rnnx.ref.onnx.Value.ofInt64(
        new long[] {1}, k))), TinyGraph.intAttr("axis", -1))));
    assertArrayEquals(top.get(1).toDoubleArray(), ours.get("indices").data(), 0.0);
    assertArrayEquals(top.get(0).toDoubleArray(), ours.get("scores").data(), 1e-12);
    boolean tieSeen = false;
    for (int b = 0; b < ids.length; b++) {
      double[] idx = row(ours.get("indices"), b);
      for (int i = 0; i + 1 < k; i++) {
        tieSeen |= idx[i] == 6 && idx[i + 1] == 9;
      }
    }
    assertTrue(tieSeen, "the equal rows 6 and 9 come out next to each other, lower id first");
  }

  static double[] row(DoubleTensor t, int b) {
    int k = t.dim(1);
    return java.util.Arrays.copyOfRange(t.data(), b * k, (b + 1) * k);
  }
}

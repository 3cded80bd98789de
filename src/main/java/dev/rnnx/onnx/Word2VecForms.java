package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two forms of a {@link Word2Vec} model, one ONNX model each:
 *
 * <pre>
 * embedding     ids int64 [N] ─Gather(embeddings)─▶ vectors [N, D]
 * most_similar  ids int64 [B], k int64 [1]:
 *               q = Gather(unit, ids) [B, D]; scores = Gemm(q, unit, transB) [B, V] (cosines)
 *               excluded = Or(Equal(ids[:, None], 0 … V−1), special ids 0 … 3)
 *               TopK(Where(excluded, −2, scores), k, largest, sorted) ─▶ scores [B, k], indices int64 [B, k]
 * </pre>
 *
 * {@code unit} is the embedding table with every row divided by its Euclidean norm, computed in
 * double precision at export (a zero row stays zero, so its cosines are 0). The query word and
 * the special tokens score −2, below every cosine, so they come last (only a {@code k} reaching
 * them returns them). Ties keep the lower index first (TopK's rule, opset 11). Needs opset 11.
 */
final class Word2VecForms {

  /** The oldest opset: TopK's tie rule and Gemm without C. */
  static final int OPSET = 11;

  /** The score of an excluded word: below every cosine. */
  static final float EXCLUDED = -2f;

  private Word2VecForms() {}

  static Map<String, OnnxMl.ModelProto> export(Word2Vec model, Weights weights, int opset, Provenance provenance) {
    if (opset < OPSET) {
      throw new OnnxExportException("model '" + model.name() + "' (word2vec) needs opset " + OPSET
          + " or newer (TopK's tie rule, Gemm without C), got opset " + opset);
    }
    OpsetTable opsets = OpsetTable.load();
    Map<String, OnnxMl.ModelProto> out = new LinkedHashMap<>();
    for (ModelForm form : model.forms()) {
      GraphBuilder g = new GraphBuilder(model.name() + "_" + form.name(), opset, opsets);
      if (form.name().equals(ModelForm.EMBEDDING)) {
        g.claim("ids");
        g.input(ValueInfos.valueInfo("ids", DType.INT64, "count"));
        g.node("Gather", "embedding", List.of(g.initializer("embeddings", weights.get("embeddings")), "ids"), List.of("vectors"),
            Attributes.integer("axis", 0));
        g.output(ValueInfos.valueInfo("vectors", DType.FLOAT32, "count", model.dimension()));
      } else {
        mostSimilar(model, weights, g);
      }
      String summary = "model '" + model.name() + "' (word2vec, " + model.vocabulary() + " x " + model.dimension() + "), form '"
          + form.name() + "'";
      out.put(form.name(), OnnxExporter.assemble(g, summary, model.name(), opset, opsets, provenance));
    }
    return out;
  }

  private static void mostSimilar(Word2Vec model, Weights weights, GraphBuilder g) {
    int v = model.vocabulary();
    g.claim("ids");
    g.claim("k");
    g.input(ValueInfos.valueInfo("ids", DType.INT64, "batch"));
    g.input(ValueInfos.valueInfo("k", DType.INT64, 1));
    String unit = g.initializer("unit_embeddings", unitRows(weights.get("embeddings")));
    g.node("Gather", "query", List.of(unit, "ids"), List.of("query_vectors"), Attributes.integer("axis", 0));
    g.node("Gemm", "cosines", List.of("query_vectors", unit), List.of("cosines"), Attributes.integer("transB", 1));
    long[] ids = new long[v];
    boolean[] special = new boolean[v];
    for (int i = 0; i < v; i++) {
      ids[i] = i;
      special[i] = i < SpecialTokens.FIRST_TEXT;
    }
    g.unsqueeze("ids_Unsqueeze", "ids", "ids_column", 1);
    g.node("Equal", "is_query", List.of("ids_column", g.int64Tensor("vocabulary_ids", new long[] {1, v}, ids)),
        List.of("is_query"));
    g.node("Or", "excluded", List.of("is_query", g.boolInitializer("special_ids", new long[] {1, v}, special)),
        List.of("excluded"));
    g.node("Where", "exclude", List.of("excluded", g.floatScalar("excluded_score", EXCLUDED), "cosines"),
        List.of("candidate_scores"));
    g.node("TopK", "top_k", List.of("candidate_scores", "k"), List.of("scores", "indices"), Attributes.integer("axis", -1),
        Attributes.integer("largest", 1), Attributes.integer("sorted", 1));
    g.output(ValueInfos.valueInfo("indices", DType.INT64, "batch", "k"));
    g.output(ValueInfos.valueInfo("scores", DType.FLOAT32, "batch", "k"));
  }

  /** Every row divided by its norm, in double precision; zero rows stay zero. */
  static FloatTensor unitRows(FloatTensor table) {
    int rows = (int) table.dim(0);
    int d = (int) table.dim(1);
    float[] t = table.data();
    float[] out = new float[t.length];
    for (int r = 0; r < rows; r++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += (double) t[r * d + j] * t[r * d + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        out[r * d + j] = norm == 0 ? 0f : (float) (t[r * d + j] / norm);
      }
    }
    return FloatTensor.of(out, rows, d);
  }
}

package dev.rnnx.tf;

import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * word2vec's forms in double precision: {@code embedding} gathers rows; {@code most_similar}
 * normalises every row of the embedding table to unit length (zero rows stay zero), scores each
 * candidate by cosine similarity, leaves out the query word and the four special ids, and keeps
 * the top k, ties to the lower id. Indices come back as doubles holding the ids.
 */
final class Word2VecOracle {

  private final Word2Vec model;
  private final Weights w;

  Word2VecOracle(Word2Vec model, Weights weights) {
    this.model = model;
    this.w = weights;
  }

  Map<String, DoubleTensor> run(String form, Map<String, ? extends Tensor> in) {
    double[][] table = OracleMath.mat(w, "embeddings");
    long[] ids = ((LongTensor) in.get("ids")).data();
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    int d = model.dimension();
    if (form.equals(ModelForm.EMBEDDING)) {
      double[] v = new double[ids.length * d];
      for (int i = 0; i < ids.length; i++) {
        System.arraycopy(table[(int) ids[i]], 0, v, i * d, d);
      }
      out.put("vectors", new DoubleTensor(new long[] {ids.length, d}, v));
      return out;
    }
    int k = (int) ((LongTensor) in.get("k")).data()[0];
    double[][] unit = new double[table.length][];
    for (int r = 0; r < table.length; r++) {
      double norm = Math.sqrt(OracleMath.dot(table[r], table[r]));
      unit[r] = new double[d];
      for (int j = 0; j < d && norm > 0; j++) {
        unit[r][j] = table[r][j] / norm;
      }
    }
    double[] indices = new double[ids.length * k];
    double[] scores = new double[ids.length * k];
    for (int i = 0; i < ids.length; i++) {
      int q = (int) ids[i];
      boolean[] taken = new boolean[table.length];
      for (int n = 0; n < k; n++) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = SpecialTokens.FIRST_TEXT; c < table.length; c++) {
          if (c == q || taken[c]) {
            continue;
          }
          double s = OracleMath.dot(unit[q], unit[c]);
          if (s > bestScore) {
            best = c;
            bestScore = s;
          }
        }
        taken[best] = true;
        indices[i * k + n] = best;
        scores[i * k + n] = bestScore;
      }
    }
    out.put("indices", new DoubleTensor(new long[] {ids.length, k}, indices));
    out.put("scores", new DoubleTensor(new long[] {ids.length, k}, scores));
    return out;
  }
}

package dev.rnnx.ref;

import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference of a {@link Word2Vec} model's two forms, in double precision:
 *
 * <ul>
 *   <li>{@code embedding}: {@code ids [N]} → {@code vectors [N, D]}, rows of {@code embeddings}.
 *   <li>{@code most_similar}: {@code ids [B]}, {@code k [1]} → {@code indices [B, k]},
 *       {@code scores [B, k]}. Every row of {@code embeddings} is divided by its Euclidean norm (a
 *       zero row stays zero); a word's score is the dot product of its unit row with the query's,
 *       the cosine similarity. The query word itself and the four {@link SpecialTokens} are never
 *       returned. The k best scores come first, ties going to the lower id. {@code k} must lie in
 *       {@code 1 … V − 5}, so that k words are always left.
 * </ul>
 */
public final class RefWord2Vec {

  /** The ids {@code most_similar} never returns besides the query: the special tokens. */
  public static final int EXCLUDED_SPECIALS = SpecialTokens.FIRST_TEXT;

  private final Word2Vec spec;
  private final double[] table;
  private final double[] unit;

  /**
   * @throws IllegalArgumentException when the weights do not fit the model
   */
  public RefWord2Vec(Word2Vec spec, Weights weights) {
    this.spec = spec;
    weights.checkFits(spec);
    int d = spec.dimension();
    this.table = RecurrentCell.param(weights, "embeddings", spec.vocabulary() * d);
    this.unit = new double[table.length];
    for (int w = 0; w < spec.vocabulary(); w++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += table[w * d + j] * table[w * d + j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        unit[w * d + j] = norm == 0 ? 0.0 : table[w * d + j] / norm;
      }
    }
  }

  /** Both forms by name, in {@link Word2Vec#forms()} order. */
  public Map<String, ReferenceForm> forms() {
    Map<String, ReferenceForm> m = new LinkedHashMap<>();
    m.put(ModelForm.EMBEDDING, this::embeddingForm);
    m.put(ModelForm.MOST_SIMILAR, this::mostSimilarForm);
    return m;
  }

  private Map<String, DoubleTensor> embeddingForm(Map<String, ? extends Tensor> inputs) {
    spec.form(ModelForm.EMBEDDING).contract().check(inputs);
    return Map.of("vectors", embedding((LongTensor) inputs.get("ids")));
  }

  private Map<String, DoubleTensor> mostSimilarForm(Map<String, ? extends Tensor> inputs) {
    spec.form(ModelForm.MOST_SIMILAR).contract().check(inputs);
    return mostSimilar((LongTensor) inputs.get("ids"), (int) ((LongTensor) inputs.get("k")).data()[0]);
  }

  /** The largest {@code k} {@code most_similar} serves: {@code V − 5}. */
  public int maxK() {
    return spec.maxK();
  }

  /** The rows of {@code embeddings} for unchecked {@code ids [N]}. */
  public DoubleTensor embedding(LongTensor ids) {
    int d = spec.dimension();
    double[] out = new double[ids.size() * d];
    for (int i = 0; i < ids.size(); i++) {
      System.arraycopy(table, (int) ids.data()[i] * d, out, i * d, d);
    }
    return new DoubleTensor(new long[] {ids.size(), d}, out);
  }

  /** {@code indices} and {@code scores} for unchecked {@code ids [B]} and {@code k}. */
  public Map<String, DoubleTensor> mostSimilar(LongTensor ids, int k) {
    int v = spec.vocabulary();
    int d = spec.dimension();
    int batch = ids.size();
    double[] indices = new double[batch * k];
    double[] scores = new double[batch * k];
    Integer[] order = new Integer[v];
    double[] s = new double[v];
    for (int b = 0; b < batch; b++) {
      int q = (int) ids.data()[b];
      for (int w = 0; w < v; w++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += unit[q * d + j] * unit[w * d + j];
        }
        s[w] = w == q || w < EXCLUDED_SPECIALS ? Double.NEGATIVE_INFINITY : dot;
        order[w] = w;
      }
      Arrays.sort(order, (x, y) -> s[x] != s[y] ? Double.compare(s[y], s[x]) : Integer.compare(x, y));
      for (int i = 0; i < k; i++) {
        indices[b * k + i] = order[i];
        scores[b * k + i] = s[order[i]];
      }
    }
    Map<String, DoubleTensor> out = new LinkedHashMap<>();
    out.put("indices", new DoubleTensor(new long[] {batch, k}, indices));
    out.put("scores", new DoubleTensor(new long[] {batch, k}, scores));
    return out;
  }
}

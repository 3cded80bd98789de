package dev.rnnx.tf;

import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.SpecialTokens;
import dev.rnnx.spec.Word2Vec;
import dev.rnnx.weights.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * word2vec's serving forms ({@link Word2Vec#forms()}), the embedding table as a constant:
 *
 * <ul>
 *   <li>{@code embedding}: {@code ids [N]} → {@code vectors [N, D]}, the table's rows.
 *   <li>{@code most_similar}: {@code ids [B]}, {@code k [1]} → {@code indices} int64
 *       {@code [B, k]} and {@code scores [B, k]}: every row of the table divided by its L2 norm
 *       (a zero row stays zero), the query's cosine similarity with every word, the query word and
 *       the four special ids left out, the k best by score (TopKV2: ties to the lower id).
 *       k must lie in 1 … V − 5.
 * </ul>
 */
final class Word2VecForms {

  private Word2VecForms() {}

  static Map<String, TfForm> build(Word2Vec model, Weights weights) {
    Map<String, TfForm> forms = new LinkedHashMap<>();
    try {
      for (ModelForm form : model.forms()) {
        forms.put(form.name(), TfGraphForm.build(model.name(), form, (graph, tf, in) -> {
          Operand<TFloat32> table = TfTensors.constant(tf.withName("embeddings"), weights.get("embeddings"));
          Operand<TInt64> ids = in.get("ids").asOutput().expect(TInt64.class);
          Map<String, Operand<?>> out = new LinkedHashMap<>();
          if (form.name().equals(ModelForm.EMBEDDING)) {
            out.put("vectors", GraphShapes.declare(tf, tf.gather(table, ids, tf.constant(0)), -1, model.dimension()));
          } else {
            Operand<TInt32> k = tf.reshape(tf.dtypes.cast(in.get("k").asOutput().expect(TInt64.class), TInt32.class),
                tf.constant(new int[0]));
            TopK<TFloat32, TInt32> top = tf.nn.topK(similarities(tf, table, ids, model.vocabulary()), k, TInt32.class, TopK.sorted(true));
            out.put("indices", tf.ensureShape(tf.dtypes.cast(top.indices(), TInt64.class), org.tensorflow.ndarray.Shape.of(-1, -1)));
            out.put("scores", GraphShapes.declare(tf, top.values(), -1, -1));
          }
          return out;
        }));
      }
      return forms;
    } catch (RuntimeException | Error e) {
      forms.values().forEach(TfForm::close);
      throw e;
    }
  }

  /** Cosine similarities {@code [B, V]} of the query words with every word; the query and the special ids at −∞. */
  static Operand<TFloat32> similarities(Ops tf, Operand<TFloat32> table, Operand<TInt64> ids, int vocabulary) {
    Operand<TFloat32> squares = tf.sum(tf.math.square(table), tf.constant(1), Sum.keepDims(true));
    Operand<TFloat32> unit = tf.math.div(table, tf.math.sqrt(tf.math.maximum(squares, tf.constant(1e-30f))));
    Operand<TFloat32> queries = tf.gather(unit, ids, tf.constant(0));
    Operand<TFloat32> scores = tf.linalg.matMul(queries, unit, MatMul.transposeB(true));
    Operand<TInt64> words = tf.expandDims(tf.range(tf.constant(0L), tf.constant((long) vocabulary), tf.constant(1L)), tf.constant(0));
    Operand<TBool> excluded = tf.math.logicalOr(tf.math.less(words, tf.constant((long) SpecialTokens.FIRST_TEXT)),
        tf.math.equal(words, tf.expandDims(ids, tf.constant(1))));
    return tf.select(excluded, tf.fill(tf.shape(scores), tf.constant(Float.NEGATIVE_INFINITY)), scores);
  }
}

package dev.rnnx.onnx;

import dev.rnnx.spec.AttentionScore;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * The attention subgraphs every attention-bearing export shares: the classic score functions
 * ({@link AttentionScore}), the masked softmax, and multi-head attention, with weights in Keras's
 * layout used as they are ({@code kernel [in, out]}, {@code bias [out]}).
 *
 * <pre>
 * scores      dot         MatMul(q, Transpose(k))                               [B, Tq, S]
 *             scaled_dot  the same · 1/√d_k
 *             general     MatMul(MatMul(q, kernel), Transpose(k))
 *             additive    MatMul(Tanh(Unsqueeze(q·W_q, 2) + Unsqueeze(k·W_k, 1) + b), v)
 * attend      weights = Softmax(Where(mask, scores, −∞)); context = MatMul(weights, values)
 *             (−∞ gives a masked key exactly zero weight; a query always keeps one visible key)
 * multi-head  standard ops (every opset): Q = x·W_q + b_q → Reshape [B, Tq, heads, key_dim] →
 *             Transpose [B, heads, Tq, key_dim]; K, V likewise from the keys; attend per head
 *             with scores Q·Kᵀ/√key_dim; Transpose, Reshape back to [B, Tq, heads·key_dim]
 *             (column h·key_dim + k, head-major, Keras's order); ·W_o + b_o
 *             opset 23: one ONNX Attention node on the 3-D projections (q_num_heads = kv_num_heads
 *             = heads, default scale), is_causal or a [B, 1, Tq, S] bool attn_mask; ·W_o + b_o
 * </pre>
 */
final class AttentionOps {

  /** The first opset with ONNX's {@code Attention} operator. */
  static final int ATTENTION_OP_OPSET = 23;

  private AttentionOps() {}

  /**
   * {@code x · <param>/kernel (+ <param>/bias)} on the last axis of x (any rank ≥ 2).
   *
   * @param out the output's name, or null for {@code <name>/output}
   */
  static String linear(GraphBuilder g, String name, String x, String param, Weights w, boolean bias, String out) {
    String result = out != null ? out : name + "/output";
    String kernel = g.initializer(param + "/kernel", w.get(param + "/kernel"));
    String product = bias ? name + "/matmul" : result;
    g.node("MatMul", name + "/MatMul", List.of(x, kernel), List.of(product));
    if (bias) {
      g.node("Add", name + "/Add", List.of(product, g.initializer(param + "/bias", w.get(param + "/bias"))), List.of(result));
    }
    return result;
  }

  /**
   * The scores of queries {@code [B, Tq, dq]} against keys {@code [B, S, dk]}, {@code [B, Tq, S]}.
   *
   * @param param the prefix of the score's parameters (see {@link dev.rnnx.spec.Attention#scoreParameters})
   */
  static String scores(GraphBuilder g, String name, AttentionScore score, String queries, String keys, int dk, String param,
      Weights w) {
    String scores = name + "/scores";
    switch (score) {
      case DOT, SCALED_DOT, GENERAL -> {
        String q = queries;
        if (score == AttentionScore.GENERAL) {
          q = name + "/query_kernel";
          g.node("MatMul", name + "/general_MatMul", List.of(queries, g.initializer(param + "/kernel", w.get(param + "/kernel"))),
              List.of(q));
        }
        String keysT = name + "/keys_transposed";
        g.transpose(name + "/keys_Transpose", keys, keysT, 0, 2, 1);
        String dot = score == AttentionScore.SCALED_DOT ? name + "/dot" : scores;
        g.node("MatMul", name + "/dot_MatMul", List.of(q, keysT), List.of(dot));
        if (score == AttentionScore.SCALED_DOT) {
          g.node("Mul", name + "/scale", List.of(dot, g.floatScalar(name + "/inverse_sqrt_d", (float) (1 / Math.sqrt(dk)))),
              List.of(scores));
        }
      }
      case ADDITIVE -> {
        String qw = name + "/query_projection";
        String kw = name + "/key_projection";
        g.node("MatMul", name + "/query_MatMul", List.of(queries, g.initializer(param + "/query_kernel",
            w.get(param + "/query_kernel"))), List.of(qw));
        g.node("MatMul", name + "/key_MatMul", List.of(keys, g.initializer(param + "/key_kernel",
            w.get(param + "/key_kernel"))), List.of(kw));
        String qCol = name + "/query_projection_expanded";
        String kRow = name + "/key_projection_expanded";
        g.unsqueeze(name + "/query_Unsqueeze", qw, qCol, 2);
        g.unsqueeze(name + "/key_Unsqueeze", kw, kRow, 1);
        String sum = name + "/sum";
        g.node("Add", name + "/sum_Add", List.of(qCol, kRow), List.of(sum));
        String biased = name + "/biased";
        g.node("Add", name + "/bias_Add", List.of(sum, g.initializer(param + "/bias", w.get(param + "/bias"))),
            List.of(biased));
        String hidden = name + "/hidden";
        g.node("Tanh", name + "/Tanh", List.of(biased), List.of(hidden));
        g.node("MatMul", name + "/score_MatMul", List.of(hidden, g.initializer(param + "/score_vector",
            w.get(param + "/score_vector"))), List.of(scores));
      }
      default -> throw new IllegalStateException("score " + score);
    }
    return scores;
  }

  /**
   * The softmax over the last axis of scores of rank {@code rank}, masked keys set to −∞ first.
   *
   * @param mask bool, broadcastable onto the scores, or null
   */
  static String maskedSoftmax(GraphBuilder g, String name, String scores, String mask, int rank) {
    String input = scores;
    if (mask != null) {
      input = name + "/masked_scores";
      g.node("Where", name + "/mask_Where", List.of(mask, scores, g.floatScalar(name + "/minus_infinity",
          Float.NEGATIVE_INFINITY)), List.of(input));
    }
    String weights = name + "/weights";
    g.softmaxLastAxis(name + "/Softmax", input, weights, rank);
    return weights;
  }

  /**
   * Multi-head attention of {@code query [B, Tq, d]} over {@code keyValue [B, S, d]} with the
   * parameters {@code <param>/query|key|value|output/kernel|bias}; returns {@code [B, Tq, d]}.
   *
   * @param out the output's name, or null for {@code <name>/output/output}
   * @param attentionOp write one ONNX {@code Attention} node (opset 23) instead of standard ops
   */
  static String multiHead(GraphBuilder g, String name, String param, String query, String keyValue, int heads, int keyDim,
      AttentionMask mask, Weights w, String out, boolean attentionOp) {
    return multiHead(g, name, param, query, keyValue, keyValue, heads, keyDim, mask, w, out, attentionOp);
  }

  /** {@link #multiHead} with keys from {@code key [B, S, dk]} and values from {@code value [B, S, dv]}. */
  static String multiHead(GraphBuilder g, String name, String param, String query, String key, String value, int heads, int keyDim,
      AttentionMask mask, Weights w, String out, boolean attentionOp) {
    String q = linear(g, name + "/query", query, param + "/query", w, true, null);
    String k = linear(g, name + "/key", key, param + "/key", w, true, null);
    String v = linear(g, name + "/value", value, param + "/value", w, true, null);
    String context;
    if (attentionOp) {
      List<String> inputs = new ArrayList<>(List.of(q, k, v));
      List<ai.onnx.proto.OnnxMl.AttributeProto> attributes = new ArrayList<>(List.of(
          Attributes.integer("q_num_heads", heads), Attributes.integer("kv_num_heads", heads)));
      if (mask.causalOnly()) {
        attributes.add(Attributes.integer("is_causal", 1));
      } else if (!mask.none()) {
        inputs.add(mask.full());
      }
      context = name + "/context";
      g.node("Attention", name + "/Attention", inputs, List.of(context),
          attributes.toArray(ai.onnx.proto.OnnxMl.AttributeProto[]::new));
    } else {
      String shape = g.int64Initializer(name + "/heads_shape", 0, 0, heads, keyDim);
      String qh = name + "/query_heads";
      String kh = name + "/key_heads";
      String vh = name + "/value_heads";
      g.node("Reshape", name + "/query_Reshape", List.of(q, shape), List.of(qh));
      g.node("Reshape", name + "/key_Reshape", List.of(k, shape), List.of(kh));
      g.node("Reshape", name + "/value_Reshape", List.of(v, shape), List.of(vh));
      String qt = name + "/query_by_head";
      String kt = name + "/keys_by_head_transposed";
      String vt = name + "/values_by_head";
      g.transpose(name + "/query_Transpose", qh, qt, 0, 2, 1, 3);
      g.transpose(name + "/key_Transpose", kh, kt, 0, 2, 3, 1);
      g.transpose(name + "/value_Transpose", vh, vt, 0, 2, 1, 3);
      String dot = name + "/dot";
      g.node("MatMul", name + "/dot_MatMul", List.of(qt, kt), List.of(dot));
      String scores = name + "/scores";
      g.node("Mul", name + "/scale", List.of(dot, g.floatScalar(name + "/inverse_sqrt_key_dim",
          (float) (1 / Math.sqrt(keyDim)))), List.of(scores));
      String weights = maskedSoftmax(g, name, scores, mask.forScores(4), 4);
      String perHead = name + "/context_by_head";
      g.node("MatMul", name + "/context_MatMul", List.of(weights, vt), List.of(perHead));
      String byStep = name + "/context_by_step";
      g.transpose(name + "/context_Transpose", perHead, byStep, 0, 2, 1, 3);
      context = name + "/context";
      g.node("Reshape", name + "/context_Reshape", List.of(byStep, g.int64Initializer(name + "/merged_shape", 0, 0,
          (long) heads * keyDim)), List.of(context));
    }
    return linear(g, name + "/output", context, param + "/output", w, true, out);
  }
}

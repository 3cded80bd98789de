package dev.rnnx.onnx;

import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.ModelForm;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.Seq2Seq;
import dev.rnnx.spec.TransformerStack;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The key-value-cache forms of a Transformer {@link Seq2Seq} model, for {@link
 * TransformerSeq2SeqForms} (standard ops at every opset):
 *
 * <pre>
 * decoder_cross_cache   per layer i: memory · W_k + b_k, · W_v + b_v ─▶ Reshape [B, S, heads, hd]
 *                       ─▶ Transpose ─▶ cross_key_i, cross_value_i [B, heads, S, hd]
 * decoder_step_cached   position t = Shape(past_key_0)[2]; x = Gather(table, token) · √E + signal[t]
 *                       per layer: present_k/v = Concat(past_k/v, k/v of x, axis 2); softmax(q·kᵀ/√hd)·v
 *                       (no mask: the token sees every cached step); cross-attention on cross_key_i,
 *                       cross_value_i, keys past source_lengths masked; feed-forward; post-norm each
 *                       log_probs = LogSoftmax(x · W_o + b_o)
 * </pre>
 */
final class TransformerCachedForms {

  private final Seq2Seq model;
  private final Weights weights;
  private final TransformerStack dec;
  private final int d;
  private final int hd;

  TransformerCachedForms(Seq2Seq model, Weights weights) {
    this.model = model;
    this.weights = weights;
    this.dec = (TransformerStack) model.decoder();
    this.d = model.embeddingDim();
    this.hd = d / dec.heads();
  }

  /** Builds form {@code form} into {@code g}. */
  void build(String form, GraphBuilder g) {
    switch (form) {
      case ModelForm.DECODER_CROSS_CACHE -> {
        for (int i = 0; i < dec.layers(); i++) {
          String p = "decoder/block_" + i + "/cross_attention";
          byHeads(g, "cross_" + i + "/key", AttentionOps.linear(g, "cross_" + i + "/key", "memory", p + "/key", weights, true, null),
              "cross_key_" + i);
          byHeads(g, "cross_" + i + "/value", AttentionOps.linear(g, "cross_" + i + "/value", "memory", p + "/value", weights, true,
              null), "cross_value_" + i);
        }
      }
      case ModelForm.DECODER_STEP_CACHED -> step(g);
      default -> throw new IllegalStateException("form " + form);
    }
  }

  private void step(GraphBuilder g) {
    int max = model.maxTargetLength();
    float[] table = new float[max * d];
    for (int t = 0; t < max; t++) {
      for (int j = 0; j < d; j++) {
        table[t * d + j] = (float) PositionalEncoding.signal(t, j, d);
      }
    }
    String position = "step/position";
    g.node("Shape", "step/position_Shape", List.of("past_key_0"), List.of(position), Attributes.integer("start", 2),
        Attributes.integer("end", 3));
    String signal = "step/signal";
    g.node("Gather", "step/signal_Gather", List.of(g.initializer("step/positions/table", FloatTensor.of(table, max, d)), position),
        List.of(signal), Attributes.integer("axis", 0));
    String embedded = "step/embedded";
    g.node("Gather", "step/embedding", List.of(g.initializer("target_embedding/embeddings",
        weights.get("target_embedding/embeddings")), "token"), List.of(embedded), Attributes.integer("axis", 0));
    String column = "step/embedded_column";
    g.unsqueeze("step/embedded_Unsqueeze", embedded, column, 1);
    String scaled = "step/scaled";
    g.node("Mul", "step/scale", List.of(column, g.floatScalar("step/sqrt_d", (float) Math.sqrt(d))), List.of(scaled));
    String x = "step/x0";
    g.node("Add", "step/positions_Add", List.of(scaled, signal), List.of(x));
    String mask = sourceMask(g);
    for (int i = 0; i < dec.layers(); i++) {
      String n = "step/block_" + i;
      String p = "decoder/block_" + i;
      String k = "present_key_" + i;
      String v = "present_value_" + i;
      g.node("Concat", n + "/key_Concat", List.of("past_key_" + i, byHeads(g, n + "/key", AttentionOps.linear(g, n + "/key", x,
          p + "/self_attention/key", weights, true, null), null)), List.of(k), Attributes.integer("axis", 2));
      g.node("Concat", n + "/value_Concat", List.of("past_value_" + i, byHeads(g, n + "/value", AttentionOps.linear(g, n + "/value",
          x, p + "/self_attention/value", weights, true, null), null)), List.of(v), Attributes.integer("axis", 2));
      String self = attend(g, n + "/self_attention", p + "/self_attention", x, k, v, null);
      String a = TransformerOps.addNorm(g, n + "/self_attention_norm", x, self, p + "/self_attention_norm", dec.epsilon(), d,
          weights, null);
      String cross = attend(g, n + "/cross_attention", p + "/cross_attention", a, "cross_key_" + i, "cross_value_" + i, mask);
      String c = TransformerOps.addNorm(g, n + "/cross_attention_norm", a, cross, p + "/cross_attention_norm", dec.epsilon(), d,
          weights, null);
      String ffn = TransformerOps.feedForward(g, n + "/ffn", p, c, weights);
      x = TransformerOps.addNorm(g, n + "/ffn_norm", c, ffn, p + "/ffn_norm", dec.epsilon(), d, weights, null);
    }
    String row = "step/last";
    g.squeeze("step/last_Squeeze", x, row, 1);
    String logits = AttentionOps.linear(g, "step/output", row, "output", weights, true, null);
    g.logSoftmaxLastAxis("step/LogSoftmax", logits, "log_probs", 2);
  }

  /** {@code [B, T, heads·hd]} ─▶ {@code [B, heads, T, hd]}. */
  private String byHeads(GraphBuilder g, String name, String x, String out) {
    String split = name + "/heads";
    g.node("Reshape", name + "/heads_Reshape", List.of(x, g.int64Initializer(name + "/heads_shape", 0, 0, dec.heads(), hd)),
        List.of(split));
    String result = out != null ? out : name + "/by_head";
    g.transpose(name + "/heads_Transpose", split, result, 0, 2, 1, 3);
    return result;
  }

  /** Keys past each source length, bool {@code [B, 1, 1, S]}: Range(S) &lt; source_lengths. */
  private String sourceMask(GraphBuilder g) {
    String steps = "step/source_steps";
    g.node("Shape", "step/source_steps_Shape", List.of("cross_key_0"), List.of(steps), Attributes.integer("start", 2),
        Attributes.integer("end", 3));
    String scalar = "step/source_steps_scalar";
    g.squeeze("step/source_steps_Squeeze", steps, scalar, 0);
    String range = "step/source_range";
    g.node("Range", "step/source_Range", List.of(g.int64Scalar("step/zero", 0), scalar, g.int64Scalar("step/one", 1)),
        List.of(range));
    String lengths = "step/source_lengths_int64";
    g.node("Cast", "step/source_lengths_Cast", List.of("source_lengths"), List.of(lengths),
        Attributes.integer("to", ai.onnx.proto.OnnxMl.TensorProto.DataType.INT64_VALUE));
    String column = "step/source_lengths_column";
    g.unsqueeze("step/source_lengths_Unsqueeze", lengths, column, 1);
    String valid = "step/source_valid";
    g.node("Less", "step/source_valid_Less", List.of(range, column), List.of(valid));
    String mask = "step/source_mask";
    g.unsqueezeAxes("step/source_mask_Unsqueeze", valid, mask, 1, 2);
    return mask;
  }

  /** Attention of {@code x [B, 1, d]} on keys and values {@code [B, heads, T, hd]}: {@code [B, 1, d]} after the output projection. */
  private String attend(GraphBuilder g, String name, String param, String x, String keys, String values, String mask) {
    String q = byHeads(g, name + "/query", AttentionOps.linear(g, name + "/query", x, param + "/query", weights, true, null), null);
    String kt = name + "/keys_transposed";
    g.transpose(name + "/keys_Transpose", keys, kt, 0, 1, 3, 2);
    String dot = name + "/dot";
    g.node("MatMul", name + "/dot_MatMul", List.of(q, kt), List.of(dot));
    String scores = name + "/scores";
    g.node("Mul", name + "/scale", List.of(dot, g.floatScalar(name + "/inverse_sqrt_key_dim", (float) (1 / Math.sqrt(hd)))),
        List.of(scores));
    String w = AttentionOps.maskedSoftmax(g, name, scores, mask, 4);
    String perHead = name + "/context_by_head";
    g.node("MatMul", name + "/context_MatMul", List.of(w, values), List.of(perHead));
    String byStep = name + "/context_by_step";
    g.transpose(name + "/context_Transpose", perHead, byStep, 0, 2, 1, 3);
    String context = name + "/context";
    g.node("Reshape", name + "/context_Reshape", List.of(byStep, g.int64Initializer(name + "/merged_shape", 0, 0, d)),
        List.of(context));
    return AttentionOps.linear(g, name + "/output", context, param + "/output", weights, true, null);
  }
}

package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.AttentionScore;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.tensorio.TypedTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * rnnx's {@code attention} export (Keras's {@code Attention} with query = key = value, no mask)
 * lifted back, from the {@code Softmax} whose weights multiply the block's own input {@code x}
 * ({@code [B, T, d]}): scores {@code MatMul(x, Transpose(x, [0, 2, 1]))} (dot), that times
 * {@code 1/√d} (scaled_dot), or {@code MatMul(MatMul(x, kernel), Transpose(x))} (general); at opset
 * 23 ONE {@code Attention} node with one head reading {@code x} (or {@code x·kernel}) as the query
 * and {@code x} as key and value, {@code scale} 1 (dot, general) or the default (scaled_dot); or
 * the additive score {@code MatMul(Tanh(Unsqueeze(x·Wq, 2) + Unsqueeze(x·Wk, 1) + b), v)} (every opset).
 */
final class ScoreAttentionLift implements LayerDraft, BlockLayout {

  private final AttentionScore score;
  private final FloatTensor kernel;
  private final Map<String, FloatTensor> additive;
  private final boolean causal;

  private ScoreAttentionLift(AttentionScore score, FloatTensor kernel, Map<String, FloatTensor> additive, boolean causal) {
    this.score = score;
    this.kernel = kernel;
    this.additive = additive;
    this.causal = causal;
  }

  @Override
  public boolean timeMajor() {
    return false;
  }

  @Override
  public Layer build(String name) {
    return new Attention(name, score, additive.isEmpty() ? 0 : (int) additive.get("bias").dim(0), causal);
  }

  @Override
  public Map<String, FloatTensor> weights(String name) {
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    if (kernel != null) {
      w.put(name + "/kernel", kernel);
    }
    additive.forEach((k, v) -> w.put(name + "/" + k, v));
    return w;
  }

  /** The block of a {@code Softmax} over scores of {@code x} whose weights multiply {@code x}; null when not that pattern. */
  static TransformerLift.Block fromSoftmax(OnnxGraph g, OnnxMl.NodeProto softmax, List<OnnxMl.NodeProto> nodes,
      Map<String, OnnxMl.NodeProto> producer, Map<String, List<OnnxMl.NodeProto>> readers) {
    List<OnnxMl.NodeProto> after = readers.getOrDefault(softmax.getOutput(0), List.of());
    if (after.size() != 1 || !after.get(0).getOpType().equals("MatMul") || after.get(0).getInputCount() != 2
        || !after.get(0).getInput(0).equals(softmax.getOutput(0))) {
      return null;
    }
    OnnxMl.NodeProto context = after.get(0);
    String x = context.getInput(1);
    OnnxMl.NodeProto dot = producer.get(softmax.getInput(0));
    String causalScores = CausalMask.scores(g, dot, producer);
    boolean causal = causalScores != null;
    if (causal) {
      dot = producer.get(causalScores);
    }
    Float scale = null;
    if (dot != null && dot.getOpType().equals("Mul") && dot.getInputCount() == 2) {
      TypedTensor c = TransformerLift.constant(g, dot.getInput(1), producer);
      scale = c != null && c.type().isFloating() && c.size() == 1 ? (float) c.toFloat().data()[0] : null;
      dot = scale == null ? null : producer.get(dot.getInput(0));
    }
    if (dot != null && scale == null && dot.getOpType().equals("MatMul") && dot.getInputCount() == 2) {
      Map<String, FloatTensor> additive = additive(g, dot, x, producer);
      if (additive != null) {
        return new TransformerLift.Block(x, context, TransformerLift.region(x, context, nodes, producer),
            new ScoreAttentionLift(AttentionScore.ADDITIVE, null, additive, causal), (int) additive.get("query_kernel").dim(0),
            Attention.KIND);
      }
    }
    if (dot == null || !dot.getOpType().equals("MatMul") || dot.getInputCount() != 2 || !transposeOf(dot.getInput(1), x, producer)) {
      return null;
    }
    FloatTensor kernel = null;
    if (!dot.getInput(0).equals(x)) {
      OnnxMl.NodeProto q = producer.get(dot.getInput(0));
      TypedTensor k = q != null && q.getOpType().equals("MatMul") && q.getInputCount() == 2 && q.getInput(0).equals(x)
          ? TransformerLift.constant(g, q.getInput(1), producer) : null;
      if (k == null || scale != null) {
        return null;
      }
      kernel = k.toFloat();
    }
    int d = kernel != null ? (int) kernel.dim(0) : scale != null ? (int) Math.round(1 / ((double) scale * scale)) : 0;
    if (scale != null && scale != (float) (1 / Math.sqrt(d))) {
      throw g.error(dot, "scales the attention scores by " + scale + ", not 1/√d for any width d; supported: rnnx's"
          + " attention (dot, scaled_dot by 1/√d, general)");
    }
    AttentionScore score = kernel != null ? AttentionScore.GENERAL : scale != null ? AttentionScore.SCALED_DOT : AttentionScore.DOT;
    return new TransformerLift.Block(x, context, TransformerLift.region(x, context, nodes, producer),
        new ScoreAttentionLift(score, kernel, Map.of(), causal), d, Attention.KIND);
  }

  /** The block of an ONNX {@code Attention} node whose key and value are one input {@code x}; null otherwise. */
  static TransformerLift.Block fromOp(OnnxGraph g, OnnxMl.NodeProto op, List<OnnxMl.NodeProto> nodes,
      Map<String, OnnxMl.NodeProto> producer) {
    if (op.getInputCount() < 3 || !op.getInput(1).equals(op.getInput(2))) {
      return null;
    }
    String x = op.getInput(1);
    if (OnnxGraph.intAttr(op, "q_num_heads", 0) != 1) {
      throw g.error(op, "an Attention node reading its key as its value with several heads is not supported;"
          + " supported: rnnx's attention (one head)");
    }
    OnnxMl.NodeProto.Builder unscaled = op.toBuilder();
    if (attributeIndex(op, "scale") >= 0) {
      unscaled.removeAttribute(attributeIndex(op, "scale"));
    }
    SeparateAttention.checkAttentionOp(g, unscaled.build(), true); // the scale is read below
    float scale = OnnxGraph.floatAttr(op, "scale", Float.NaN);
    FloatTensor kernel = null;
    if (!op.getInput(0).equals(x)) {
      OnnxMl.NodeProto q = producer.get(op.getInput(0));
      TypedTensor k = q != null && q.getOpType().equals("MatMul") && q.getInputCount() == 2 && q.getInput(0).equals(x)
          ? TransformerLift.constant(g, q.getInput(1), producer) : null;
      if (k == null) {
        return null;
      }
      kernel = k.toFloat();
    }
    if (!Float.isNaN(scale) && scale != 1f || kernel != null && Float.isNaN(scale)) {
      throw g.error(op, "an Attention node with scale " + scale + " is not supported; supported: rnnx's attention"
          + " (scale 1 for dot and general, the default for scaled_dot)");
    }
    AttentionScore score = kernel != null ? AttentionScore.GENERAL : Float.isNaN(scale) ? AttentionScore.SCALED_DOT
        : AttentionScore.DOT;
    return new TransformerLift.Block(x, op, TransformerLift.region(x, op, nodes, producer),
        new ScoreAttentionLift(score, kernel, Map.of(), OnnxGraph.intAttr(op, "is_causal", 0) != 0),
        kernel != null ? (int) kernel.dim(0) : 0, Attention.KIND);
  }

  /**
   * The additive score's parameters from {@code MatMul(Tanh(Unsqueeze(x·Wq, 2) + Unsqueeze(x·Wk, 1) + b), v)}
   * ({@code scores}, its last node); null when the scores are not that.
   */
  private static Map<String, FloatTensor> additive(OnnxGraph g, OnnxMl.NodeProto scores, String x,
      Map<String, OnnxMl.NodeProto> producer) {
    TypedTensor vector = TransformerLift.constant(g, scores.getInput(1), producer);
    OnnxMl.NodeProto tanh = producer.get(scores.getInput(0));
    OnnxMl.NodeProto biased = tanh != null && tanh.getOpType().equals("Tanh") ? producer.get(tanh.getInput(0)) : null;
    if (vector == null || vector.shape().length != 1 || biased == null || !biased.getOpType().equals("Add")) {
      return null;
    }
    TypedTensor bias = TransformerLift.constant(g, biased.getInput(1), producer);
    OnnxMl.NodeProto sum = producer.get(biased.getInput(0));
    if (bias == null || sum == null || !sum.getOpType().equals("Add")) {
      return null;
    }
    FloatTensor query = projected(g, sum.getInput(0), x, 2, producer);
    FloatTensor key = projected(g, sum.getInput(1), x, 1, producer);
    if (query == null || key == null) {
      return null;
    }
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    w.put("query_kernel", query);
    w.put("key_kernel", key);
    w.put("bias", Transforms.vector(bias));
    w.put("score_vector", Transforms.vector(vector));
    return w;
  }

  /** The kernel of {@code Unsqueeze(MatMul(x, kernel), axis)}; null otherwise. */
  private static FloatTensor projected(OnnxGraph g, String value, String x, long axis, Map<String, OnnxMl.NodeProto> producer) {
    OnnxMl.NodeProto u = producer.get(value);
    if (u == null || !u.getOpType().equals("Unsqueeze")) {
      return null;
    }
    List<Long> axes = OnnxGraph.intsAttr(u, "axes");
    TypedTensor a = u.getInputCount() > 1 ? TransformerLift.constant(g, u.getInput(1), producer) : null;
    if (axes == null && a != null && a.longs() != null) {
      axes = java.util.Arrays.stream(a.longs()).boxed().toList();
    }
    OnnxMl.NodeProto m = producer.get(u.getInput(0));
    TypedTensor k = m != null && m.getOpType().equals("MatMul") && m.getInputCount() == 2 && m.getInput(0).equals(x)
        ? TransformerLift.constant(g, m.getInput(1), producer) : null;
    return List.of(axis).equals(axes) && k != null && k.shape().length == 2 ? k.toFloat() : null;
  }

  private static int attributeIndex(OnnxMl.NodeProto op, String name) {
    for (int i = 0; i < op.getAttributeCount(); i++) {
      if (op.getAttribute(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean transposeOf(String value, String x, Map<String, OnnxMl.NodeProto> producer) {
    OnnxMl.NodeProto t = producer.get(value);
    return t != null && t.getOpType().equals("Transpose") && t.getInput(0).equals(x)
        && List.of(0L, 2L, 1L).equals(OnnxGraph.intsAttr(t, "perm"));
  }
}

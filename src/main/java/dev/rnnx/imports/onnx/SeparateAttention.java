package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.tensorio.TypedTensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * rnnx's own self-attention exports lifted into {@link MultiHeadAttention} (through
 * {@link AttentionLift}, which finds them): the query, key and value each a constant projection
 * {@code [d, heads·key_dim]} of one input, then either standard ops ({@code Reshape} and
 * {@code Transpose} per head, {@code Softmax(Q·Kᵀ · 1/√key_dim)}, the product with the values,
 * the heads joined) or ONE ONNX {@code Attention} node (opset 23, default scale, no mask), and the
 * output projection. Masks (causal, padding) are refused by name; the importer then checks the
 * model numerically against the original graph ({@link NumericCheck}).
 */
final class SeparateAttention {

  private SeparateAttention() {}

  /**
   * Refuses an ONNX {@code Attention} node that computes more than rnnx's unmasked self-attention
   * does: a mask, causality, a scale other than the default, a softcap, or different head counts.
   */
  static void checkAttentionOp(OnnxGraph g, OnnxMl.NodeProto n, boolean causalAllowed) {
    boolean masked = n.getInputList().stream().skip(3).anyMatch(i -> !i.isEmpty());
    if (masked || (!causalAllowed && OnnxGraph.intAttr(n, "is_causal", 0) != 0) || OnnxGraph.has(n, "scale")
        || OnnxGraph.floatAttr(n, "softcap", 0f) != 0f
        || OnnxGraph.intAttr(n, "q_num_heads", 0) != OnnxGraph.intAttr(n, "kv_num_heads", 0)
        || n.getOutputList().stream().skip(1).anyMatch(g::isLive)) {
      throw g.error(n, "an Attention node with a mask, a scale, a softcap, past keys and values or different query"
          + " and key head counts is not supported; supported: inputs q, k, v, q_num_heads = kv_num_heads, the"
          + " default scale, is_causal");
    }
  }

  /** The score product of rnnx's scaled scores {@code Mul(MatMul(q, kᵀ), 1/√key_dim)}; null when {@code n} is not that. */
  static OnnxMl.NodeProto scaledScores(OnnxGraph g, OnnxMl.NodeProto n, Map<String, OnnxMl.NodeProto> producer) {
    return scaledScores(g, n, producer, new float[1]);
  }

  static OnnxMl.NodeProto scaledScores(OnnxGraph g, OnnxMl.NodeProto n, Map<String, OnnxMl.NodeProto> producer,
      float[] scale) {
    if (!Set.of("Mul", "Div").contains(n.getOpType()) || n.getInputCount() != 2) {
      return null;
    }
    TypedTensor c = TransformerLift.constant(g, n.getInput(1), producer);
    OnnxMl.NodeProto p = producer.get(n.getInput(0));
    if (c == null || !c.type().isFloating() || c.size() != 1 || p == null || !AttentionLift.scoreProduct(g, p, producer)) {
      return null;
    }
    float v = (float) c.toFloat().data()[0];
    scale[0] = n.getOpType().equals("Mul") ? v : 1 / v;
    return p;
  }

  /**
   * rnnx's self-attention: query, key and value each a constant projection {@code [d, heads·key_dim]}
   * of one input (else cross-attention, refused), {@code context} the node after the attention weights
   * (their product with the values, or ONNX's Attention node), the output projection after it.
   */
  static TransformerLift.Block block(OnnxGraph g, OnnxMl.NodeProto anchor, OnnxMl.NodeProto q, OnnxMl.NodeProto k,
      OnnxMl.NodeProto v, OnnxMl.NodeProto context, double keyDimension, boolean causal, List<OnnxMl.NodeProto> nodes,
      Map<String, OnnxMl.NodeProto> producer, Map<String, List<OnnxMl.NodeProto>> readers) {
    OnnxMl.NodeProto[] qkv = {q, k, v};
    for (OnnxMl.NodeProto p : qkv) {
      if (p == null || p.getInputCount() < 2 || TransformerLift.constant(g, p.getInput(1), producer) == null) {
        throw g.error(anchor, "attention whose query, key or value is not a constant projection of the input; " + AttentionLift.SUPPORTED);
      }
    }
    if (!q.getInput(0).equals(k.getInput(0)) || !q.getInput(0).equals(v.getInput(0))) {
      throw g.error(anchor, "cross-attention (query from '" + q.getInput(0) + "', key from '" + k.getInput(0)
          + "', value from '" + v.getInput(0) + "') is not supported: rnnx's multi_head_attention is self-attention; "
          + AttentionLift.SUPPORTED);
    }
    if (q == k || q == v || k == v) {
      throw g.error(anchor, "the query, key and value share one projection node without PyTorch's packed [d, 3d] layout; "
          + AttentionLift.SUPPORTED);
    }
    FloatTensor wq = TransformerLift.kernel(g, q, producer);
    int d = (int) wq.dim(0);
    long kd = Math.round(keyDimension);
    if (kd < 1 || Math.abs(keyDimension - kd) > 1e-3 || wq.dim(1) % kd != 0) {
      throw g.error(anchor, "the attention scale does not give a key width (" + keyDimension + ") that divides the"
          + " query width " + wq.dim(1));
    }
    Map<String, FloatTensor> roles = new LinkedHashMap<>();
    String[] parts = {"query", "key", "value"};
    for (int p = 0; p < 3; p++) {
      FloatTensor w = TransformerLift.kernel(g, qkv[p], producer);
      if (!Arrays.equals(w.shape(), wq.shape())) {
        throw g.error(qkv[p], "the " + parts[p] + " projection has shape " + Arrays.toString(w.shape()) + ", expected "
            + Arrays.toString(wq.shape()) + " as the query's");
      }
      OnnxMl.NodeProto[] end = {qkv[p]};
      roles.put(parts[p] + "/kernel", w);
      roles.put(parts[p] + "/bias", AttentionLift.bias(g, end, producer, readers, (int) wq.dim(1)));
    }
    OnnxMl.NodeProto out = context;
    for (int i = 0; i < 8 && out != null && (out == context || Set.of("Transpose", "Reshape").contains(out.getOpType())); i++) {
      List<OnnxMl.NodeProto> r = AttentionLift.dataReaders(out, readers);
      out = r.size() == 1 ? r.get(0) : null;
    }
    if (out == null || !Set.of("MatMul", "Gemm").contains(out.getOpType()) || out.getInputCount() < 2
        || TransformerLift.constant(g, out.getInput(1), producer) == null) {
      throw g.error(context, "expected the attention's output projection (a constant MatMul or Gemm) after the heads are"
          + " joined; " + AttentionLift.SUPPORTED);
    }
    FloatTensor wo = TransformerLift.kernel(g, out, producer);
    if (wo.dim(0) != wq.dim(1) || wo.dim(1) != d) {
      throw g.error(out, "the attention's output projection has shape " + Arrays.toString(wo.shape()) + ", expected ["
          + wq.dim(1) + ", " + d + "]");
    }
    roles.put("output/kernel", wo);
    OnnxMl.NodeProto[] end = {out};
    roles.put("output/bias", AttentionLift.bias(g, end, producer, readers, d));
    String x = q.getInput(0);
    return new TransformerLift.Block(x, end[0], TransformerLift.region(x, end[0], nodes, producer),
        new AttentionLift((int) (wq.dim(1) / kd), (int) kd, false, roles, causal), d, MultiHeadAttention.KIND);
  }

}

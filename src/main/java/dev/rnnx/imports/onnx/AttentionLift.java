package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.tensorio.TypedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PyTorch's {@code MultiheadAttention} used as self-attention ({@code mha(x, x, x)}, no masks, either
 * {@code batch_first}, with or without biases) lifted into rnnx's {@link MultiHeadAttention}. The
 * block is found from each {@code Softmax} that reads a product of two computed values (the scores
 * {@code Q·Kᵀ}): the query and the key are traced back to their constant projection, which must be
 * one packed {@code [d, 3d]} product of one input (else cross-attention, refused); the values'
 * product reads the same projection, and the output projection {@code [d, d]} follows the
 * attention's product. The heads come from the query scale {@code √(d/heads)}. The block runs on
 * PyTorch's time-major layout {@code [T, B, d]} (a {@code batch_first} module's transposes lie
 * outside it and lift as layout flips). The importer then checks the imported model against the
 * original graph on the pure-Java ONNX evaluator ({@link NumericCheck}).
 */
final class AttentionLift implements LayerDraft, BlockLayout {

  static final String SUPPORTED = "supported: PyTorch's MultiheadAttention as self-attention (query = key ="
      + " value, one packed [d, 3d] input projection, no masks) in a chain of layers, and the"
      + " TransformerEncoderLayer (post-norm or norm_first, relu or exact gelu, no mask)";

  private final int heads;
  private final int keyDim;
  private final boolean timeMajor;
  private final Map<String, FloatTensor> roles;
  private final boolean causal;

  AttentionLift(int heads, int keyDim, boolean timeMajor, Map<String, FloatTensor> roles, boolean causal) {
    this.heads = heads;
    this.keyDim = keyDim;
    this.timeMajor = timeMajor;
    this.roles = roles;
    this.causal = causal;
  }

  /** Whether the block runs on time-major {@code [T, B, d]} (PyTorch's) rather than batch-major {@code [B, T, d]} (rnnx's). */
  @Override
  public boolean timeMajor() {
    return timeMajor;
  }

  @Override
  public Layer build(String name) {
    return new MultiHeadAttention(name, heads, keyDim, causal);
  }

  @Override
  public Map<String, FloatTensor> weights(String name) {
    Map<String, FloatTensor> w = new LinkedHashMap<>();
    roles.forEach((k, v) -> w.put(name + "/" + k, v));
    return w;
  }

  /** Finds the self-attention blocks among the live nodes outside {@code taken} (an encoder block's nodes). */
  static List<TransformerLift.Block> detect(OnnxGraph g, Set<OnnxMl.NodeProto> taken) {
    List<OnnxMl.NodeProto> nodes = g.liveNodes();
    Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    Map<String, List<OnnxMl.NodeProto>> readers = new HashMap<>();
    for (OnnxMl.NodeProto n : nodes) {
      n.getOutputList().forEach(o -> producer.put(o, n));
      n.getInputList().forEach(i -> readers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
    }
    List<TransformerLift.Block> blocks = new ArrayList<>();
    for (OnnxMl.NodeProto softmax : nodes) {
      if (!softmax.getOpType().equals("Softmax") || taken.contains(softmax) || softmax.getInputCount() != 1) {
        continue;
      }
      TransformerLift.Block scored = ScoreAttentionLift.fromSoftmax(g, softmax, nodes, producer, readers);
      if (scored != null) { // rnnx's attention: the weights multiply the block's own input
        blocks.add(scored);
        continue;
      }
      OnnxMl.NodeProto scores = producer.get(softmax.getInput(0));
      if (scores != null && Set.of("Add", "Where").contains(scores.getOpType()) && scores.getInputList().stream()
          .map(producer::get).anyMatch(p -> p != null && scoreProduct(g, p, producer))) {
        throw g.error(softmax, "attention with a mask (attn_mask, key_padding_mask or is_causal, applied to the scores"
            + " before the Softmax) is not supported; " + SUPPORTED);
      }
      String causalScores = CausalMask.scores(g, scores, producer);
      boolean causal = causalScores != null && producer.get(causalScores) != null
          && SeparateAttention.scaledScores(g, producer.get(causalScores), producer) != null;
      if (causal) { // rnnx's causal self-attention: the scores behind the mask
        scores = producer.get(causalScores);
      }
      if (scores != null && scores.getOpType().equals("Where") && scores.getInputList().stream().map(producer::get)
          .anyMatch(p -> p != null && SeparateAttention.scaledScores(g, p, producer) != null)) {
        throw g.error(softmax, "attention with a mask (a causal mask or the sequence lengths' padding mask, applied to"
            + " the scores before the Softmax) is not supported; " + SUPPORTED);
      }
      OnnxMl.NodeProto dot = scores == null ? null : SeparateAttention.scaledScores(g, scores, producer);
      if (dot != null) { // rnnx's: Softmax(Q·Kᵀ · 1/√key_dim), each of Q, K, V its own projection
        float[] scale = new float[1];
        SeparateAttention.scaledScores(g, scores, producer, scale);
        List<OnnxMl.NodeProto> after = readers.getOrDefault(softmax.getOutput(0), List.of());
        OnnxMl.NodeProto context = after.size() == 1 && after.get(0).getOpType().equals("MatMul")
            && after.get(0).getInput(0).equals(softmax.getOutput(0)) ? after.get(0) : null;
        if (context == null) {
          throw g.error(softmax, "the attention weights do not multiply projected values; " + SUPPORTED);
        }
        double keyDim = 1.0 / ((double) scale[0] * scale[0]);
        blocks.add(SeparateAttention.block(g, softmax, projection(g, dot.getInput(0), producer, null),
            projection(g, dot.getInput(1), producer, null), projection(g, context.getInput(1), producer, null), context,
            keyDim, causal, nodes, producer, readers));
        continue;
      }
      if (scores == null || !scoreProduct(g, scores, producer)) {
        continue; // a Softmax after a dense layer, lifted as its activation
      }
      blocks.add(block(g, softmax, scores, nodes, producer, readers));
    }
    for (OnnxMl.NodeProto op : nodes) { // ONNX's Attention op (rnnx at opset 23)
      if (!op.getOpType().equals("Attention") || taken.contains(op)) {
        continue;
      }
      TransformerLift.Block scored = ScoreAttentionLift.fromOp(g, op, nodes, producer);
      if (scored != null) {
        blocks.add(scored);
        continue;
      }
      SeparateAttention.checkAttentionOp(g, op, true);
      OnnxMl.NodeProto q = projection(g, op.getInput(0), producer, null);
      FloatTensor wq = q == null || TransformerLift.constant(g, q.getInput(1), producer) == null ? null
          : TransformerLift.kernel(g, q, producer);
      long heads = OnnxGraph.intAttr(op, "q_num_heads", 0);
      if (wq == null || heads < 1 || wq.dim(1) % heads != 0) {
        throw g.error(op, "expected a constant query projection whose width q_num_heads divides; " + SUPPORTED);
      }
      blocks.add(SeparateAttention.block(g, op, q, projection(g, op.getInput(1), producer, null),
          projection(g, op.getInput(2), producer, null), op, (double) wq.dim(1) / heads,
          OnnxGraph.intAttr(op, "is_causal", 0) != 0, nodes, producer, readers));
    }
    for (TransformerLift.Block b : blocks) {
      residual(g, b, producer, readers);
    }
    return blocks;
  }

  /** Whether {@code n} multiplies two computed values (attention scores), not a value by a constant. */
  static boolean scoreProduct(OnnxGraph g, OnnxMl.NodeProto n, Map<String, OnnxMl.NodeProto> producer) {
    return n.getOpType().equals("MatMul") && n.getInputCount() == 2
        && TransformerLift.constant(g, n.getInput(0), producer) == null
        && TransformerLift.constant(g, n.getInput(1), producer) == null;
  }

  private static TransformerLift.Block block(OnnxGraph g, OnnxMl.NodeProto softmax, OnnxMl.NodeProto scores,
      List<OnnxMl.NodeProto> nodes, Map<String, OnnxMl.NodeProto> producer, Map<String, List<OnnxMl.NodeProto>> readers) {
    float[] scale = new float[1];
    OnnxMl.NodeProto query = projection(g, scores.getInput(0), producer, scale);
    OnnxMl.NodeProto key = projection(g, scores.getInput(1), producer, null);
    if (query == null || key == null) {
      throw g.error(softmax, "attention whose query or key is not a constant projection of the input; " + SUPPORTED);
    }
    if (query != key && !query.getInput(0).equals(key.getInput(0))) {
      throw g.error(softmax, "cross-attention (query from '" + query.getInput(0) + "', key from '" + key.getInput(0)
          + "') is not supported: rnnx's multi_head_attention is self-attention; " + SUPPORTED);
    }
    if (query != key || TransformerLift.constant(g, query.getInput(1), producer) == null) {
      throw g.error(query, "self-attention whose query, key and value are not one constant packed [d, 3d] projection; "
          + SUPPORTED);
    }
    List<OnnxMl.NodeProto> after = readers.getOrDefault(softmax.getOutput(0), List.of());
    OnnxMl.NodeProto context = after.size() == 1 && after.get(0).getOpType().equals("MatMul")
        && after.get(0).getInputCount() == 2 && after.get(0).getInput(0).equals(softmax.getOutput(0)) ? after.get(0) : null;
    if (context == null || projection(g, context.getInput(1), producer, null) != query) {
      throw g.error(softmax, "the attention weights do not multiply values projected from the query's input; " + SUPPORTED);
    }
    FloatTensor inProj = TransformerLift.kernel(g, query, producer);
    int d = (int) inProj.dim(0);
    if (inProj.dim(1) != 3L * d) {
      throw g.error(query, "the attention's input projection has shape [" + inProj.dim(0) + ", " + inProj.dim(1)
          + "], expected the packed [d, 3d] of PyTorch's MultiheadAttention");
    }
    OnnxMl.NodeProto out = context;
    for (int i = 0; i < 8 && out != null && (out == context || Set.of("Transpose", "Reshape").contains(out.getOpType())); i++) {
      List<OnnxMl.NodeProto> r = dataReaders(out, readers);
      out = r.size() == 1 ? r.get(0) : null;
    }
    if (out == null || !Set.of("MatMul", "Gemm").contains(out.getOpType()) || out.getInputCount() < 2
        || TransformerLift.constant(g, out.getInput(1), producer) == null) {
      throw g.error(context, "expected the attention's output projection (a constant [d, d] MatMul or Gemm) after the"
          + " heads are joined; " + SUPPORTED);
    }
    FloatTensor outProj = TransformerLift.kernel(g, out, producer);
    if (outProj.dim(0) != d || outProj.dim(1) != d) {
      throw g.error(out, "the attention's output projection has shape " + Arrays.toString(outProj.shape())
          + ", expected [" + d + ", " + d + "]");
    }
    double headDim = (double) scale[0] * scale[0];
    long hd = Math.round(headDim);
    if (!(scale[0] > 0) || hd < 1 || Math.abs(headDim - hd) > 1e-3 || d % hd != 0) {
      throw g.error(softmax, "the query scale " + scale[0] + " does not give a head width that divides " + d);
    }
    Map<String, FloatTensor> roles = new LinkedHashMap<>();
    String[] parts = {"query", "key", "value"};
    OnnxMl.NodeProto[] end = {query};
    FloatTensor inBias = bias(g, end, producer, readers, 3 * d);
    for (int p = 0; p < 3; p++) {
      roles.put(parts[p] + "/kernel", TransformerLift.columns(inProj, p * d, d));
      roles.put(parts[p] + "/bias", FloatTensor.of(Arrays.copyOfRange(inBias.data(), p * d, (p + 1) * d), d));
    }
    roles.put("output/kernel", outProj);
    end[0] = out;
    roles.put("output/bias", bias(g, end, producer, readers, d));
    OnnxMl.NodeProto last = end[0];
    List<OnnxMl.NodeProto> r = dataReaders(last, readers);
    if (r.size() == 1 && r.get(0).getOpType().equals("Reshape")) {
      last = r.get(0);
    }
    String x = query.getInput(0);
    return new TransformerLift.Block(x, last, TransformerLift.region(x, last, nodes, producer),
        new AttentionLift((int) (d / hd), (int) hd, true, roles, false), d, MultiHeadAttention.KIND);
  }

  /**
   * The constant projection a score operand comes from: up through the reshapes, transposes, slices,
   * the bias {@code Add} and the scale (recorded into {@code scale} when given); null when none.
   */
  static OnnxMl.NodeProto projection(OnnxGraph g, String value, Map<String, OnnxMl.NodeProto> producer,
      float[] scale) {
    OnnxMl.NodeProto n = producer.get(value);
    for (int i = 0; i < 16 && n != null && n.getInputCount() > 0; i++) {
      switch (n.getOpType()) {
        case "MatMul", "Gemm" -> {
          return n.getInputCount() > 1 ? n : null;
        }
        case "Transpose", "Reshape", "Slice", "Squeeze", "Unsqueeze", "Identity", "Split" -> n = producer.get(n.getInput(0));
        case "Div", "Mul" -> {
          TypedTensor c = n.getInputCount() == 2 ? TransformerLift.constant(g, n.getInput(1), producer) : null;
          if (c == null || !c.type().isFloating() || c.size() != 1 || scale == null) {
            return null;
          }
          float s = (float) c.toFloat().data()[0];
          scale[0] = n.getOpType().equals("Div") ? s : 1 / s;
          scale = null;
          n = producer.get(n.getInput(0));
        }
        case "Add" -> { // the bias: a constant, or computed from one (a slice of PyTorch's in_proj_bias)
          OnnxMl.NodeProto a = n.getInputCount() == 2 ? producer.get(n.getInput(0)) : null;
          OnnxMl.NodeProto b = n.getInputCount() == 2 ? producer.get(n.getInput(1)) : null;
          n = b != null && Set.of("MatMul", "Gemm").contains(b.getOpType()) ? b
              : a != null && Set.of("MatMul", "Gemm").contains(a.getOpType()) ? a : null;
        }
        default -> n = null;
      }
    }
    return null;
  }

  /**
   * A projection's bias: a Gemm's C, or a constant added to a MatMul's output (then {@code end[0]}
   * becomes that Add); zeros where there is none (PyTorch's {@code bias=False}).
   */
  static FloatTensor bias(OnnxGraph g, OnnxMl.NodeProto[] end, Map<String, OnnxMl.NodeProto> producer,
      Map<String, List<OnnxMl.NodeProto>> readers, int size) {
    OnnxMl.NodeProto n = end[0];
    TypedTensor b = null;
    if (n.getOpType().equals("Gemm")) {
      if (OnnxGraph.floatAttr(n, "alpha", 1f) != 1f || OnnxGraph.intAttr(n, "transA", 0) != 0
          || OnnxGraph.floatAttr(n, "beta", 1f) != 1f) {
        throw g.error(n, "Gemm with alpha, beta other than 1 or transA is not supported; supported: x·B + C");
      }
      String c = OnnxGraph.input(n, 2);
      b = c.isEmpty() ? null : TransformerLift.constant(g, c, producer);
      if (!c.isEmpty() && b == null) {
        throw g.error(n, "expected a constant bias C of " + size + " values");
      }
    } else {
      List<OnnxMl.NodeProto> r = dataReaders(n, readers);
      if (r.size() == 1 && r.get(0).getOpType().equals("Add") && r.get(0).getInputCount() == 2) {
        OnnxMl.NodeProto add = r.get(0);
        int other = add.getInput(0).equals(n.getOutput(0)) ? 1 : 0;
        b = TransformerLift.constant(g, add.getInput(other), producer);
        end[0] = b != null ? add : n;
      }
    }
    if (b == null) {
      return FloatTensor.of(new float[size], size);
    }
    if (b.size() != size) {
      throw g.error(end[0], "expected a bias of " + size + " values, got shape " + Arrays.toString(b.shape()));
    }
    return Transforms.vector(b);
  }

  /** The nodes that read {@code n}'s first output other than for its shape. */
  static List<OnnxMl.NodeProto> dataReaders(OnnxMl.NodeProto n, Map<String, List<OnnxMl.NodeProto>> readers) {
    return readers.getOrDefault(n.getOutput(0), List.of()).stream().filter(r -> !r.getOpType().equals("Shape")).toList();
  }

  /**
   * Refuses a residual connection around a standalone attention ({@code x + attention(LN(x))} without
   * the feed-forward half of a pre-norm encoder layer, which is lifted before), which rnnx cannot express.
   */
  private static void residual(OnnxGraph g, TransformerLift.Block b, Map<String, OnnxMl.NodeProto> producer,
      Map<String, List<OnnxMl.NodeProto>> readers) {
    Set<String> before = TransformerLift.ancestors(b.input(), producer);
    List<OnnxMl.NodeProto> next = new ArrayList<>(readers.getOrDefault(b.last().getOutput(0), List.of()));
    for (OnnxMl.NodeProto t : List.copyOf(next)) {
      if (t.getOpType().equals("Transpose")) {
        next.addAll(readers.getOrDefault(t.getOutput(0), List.of()));
      }
    }
    for (OnnxMl.NodeProto add : next) {
      if (add.getOpType().equals("Add") && add.getInputList().stream().anyMatch(before::contains)) {
        throw g.error(add, "adds the attention's input back to its output (a residual connection) outside a whole"
            + " TransformerEncoderLayer, which rnnx's layers cannot express: its multi_head_attention has no residual and"
            + " its transformer_encoder needs the feed-forward half too; " + SUPPORTED);
      }
    }
  }
}

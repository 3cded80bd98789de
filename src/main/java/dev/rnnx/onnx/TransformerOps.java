package dev.rnnx.onnx;

import dev.rnnx.spec.FeedForwardActivation;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.PositionalEncoding;
import dev.rnnx.spec.TransformerEncoder;
import dev.rnnx.weights.Weights;
import java.util.List;

/**
 * The Transformer subgraphs (Vaswani et al., 2017; post-normalisation, no dropout) shared by the
 * {@code layer_normalization}, {@code positional_encoding} and {@code transformer_encoder}
 * converters and the seq2seq Transformer forms:
 *
 * <pre>
 * layer norm     LayerNormalization(x, gamma (ones without scale), beta (absent without center),
 *                axis −1, epsilon)                                                   opset 17
 * positions      x (· √d) + Reshape(Slice(table [max_length, d], 0, T), [T, d])   the Reshape fails
 *                the run when T &gt; max_length (Slice alone would clamp)
 * encoder block  a = LN(x + MHA(x, x)); y = LN(a + FFN(a))
 * pre-norm       a = x + MHA(LN(x), LN(x)); y = a + FFN(LN(a))                 (norm_first)
 * decoder block  a = LN(y + MHA(y, y, causal)); c = LN(a + MHA(a, memory, source padding));
 *                out = LN(c + FFN(c))
 * FFN            Relu(a · W1 + b1) · W2 + b2, or with gelu h · 0.5 · (1 + Erf(h / √2)),
 *                h = a · W1 + b1 (Erf exists from opset 9)
 * </pre>
 *
 * Parameter names follow {@link TransformerEncoder#blockParameters}.
 */
final class TransformerOps {

  /** The first opset with ONNX's {@code LayerNormalization}. */
  static final int LAYER_NORMALIZATION_OPSET = 17;

  private TransformerOps() {}

  /**
   * Refuses an opset without {@code LayerNormalization}, naming what needs it.
   *
   * @param what e.g. {@code layer 'ln'}
   */
  static void requireLayerNormalization(GraphBuilder g, String what) {
    if (g.opset() < LAYER_NORMALIZATION_OPSET) {
      throw new OnnxExportException(what + " needs ONNX LayerNormalization, which exists from opset "
          + LAYER_NORMALIZATION_OPSET + "; got opset " + g.opset() + ", export at opset " + LAYER_NORMALIZATION_OPSET
          + " or newer");
    }
  }

  /** Layer normalisation over the last axis, with {@code <param>/gamma} and {@code <param>/beta}. */
  static String layerNorm(GraphBuilder g, String name, String x, String param, boolean scale, boolean center,
      double epsilon, int d, Weights w, String out) {
    String gamma;
    if (scale) {
      gamma = g.initializer(param + "/gamma", w.get(param + "/gamma"));
    } else {
      float[] ones = new float[d];
      java.util.Arrays.fill(ones, 1f);
      gamma = g.initializer(name + "/unit_scale", FloatTensor.of(ones, d));
    }
    List<String> inputs = center ? List.of(x, gamma, g.initializer(param + "/beta", w.get(param + "/beta")))
        : List.of(x, gamma);
    String result = out != null ? out : name + "/output";
    g.node("LayerNormalization", name + "/LayerNormalization", inputs, List.of(result),
        Attributes.integer("axis", -1), Attributes.real("epsilon", (float) epsilon));
    return result;
  }

  /** {@code x (· √d) + PE[:T]}: the sinusoidal table of {@link PositionalEncoding#signal} as an initializer. */
  static String positionalEncoding(GraphBuilder g, String name, String x, TimeAxis time, int maxLength, int d,
      boolean scaleInput, String out) {
    float[] table = new float[maxLength * d];
    for (int t = 0; t < maxLength; t++) {
      for (int j = 0; j < d; j++) {
        table[t * d + j] = (float) PositionalEncoding.signal(t, j, d);
      }
    }
    String sliced = name + "/first_rows";
    g.node("Slice", name + "/rows_Slice", List.of(g.initializer(name + "/table", FloatTensor.of(table, maxLength, d)),
        g.int64Initializer(name + "/rows_start", 0), time.lengthVector(), g.int64Initializer(name + "/rows_axis", 0)),
        List.of(sliced));
    // Slice clamps T to max_length silently; reshaping to [T, d] fails the run instead when T > max_length
    String rowsShape = name + "/rows_shape";
    g.node("Concat", name + "/rows_shape_Concat", List.of(time.lengthVector(), g.int64Initializer(name + "/width", d)),
        List.of(rowsShape), Attributes.integer("axis", 0));
    String rows = name + "/rows";
    g.node("Reshape", name + "/rows_guard", List.of(sliced, rowsShape), List.of(rows));
    String input = x;
    if (scaleInput) {
      input = name + "/scaled";
      g.node("Mul", name + "/scale", List.of(x, g.floatScalar(name + "/sqrt_d", (float) Math.sqrt(d))), List.of(input));
    }
    String result = out != null ? out : name + "/output";
    g.node("Add", name + "/Add", List.of(input, rows), List.of(result));
    return result;
  }

  /** The residual sum {@code x + y}, normalised. */
  static String addNorm(GraphBuilder g, String name, String x, String y, String param, double epsilon, int d,
      Weights w, String out) {
    String sum = name + "/residual";
    g.node("Add", name + "/residual_Add", List.of(x, y), List.of(sum));
    return layerNorm(g, name, sum, param, true, true, epsilon, d, w, out);
  }

  static String feedForward(GraphBuilder g, String name, String param, String x, Weights w) {
    return feedForward(g, name, param, x, FeedForwardActivation.RELU, w);
  }

  static String feedForward(GraphBuilder g, String name, String param, String x, FeedForwardActivation f, Weights w) {
    String inner = AttentionOps.linear(g, name + "/inner", x, param + "/ffn_inner", w, true, null);
    String act;
    if (f == FeedForwardActivation.GELU) {
      act = gelu(g, name + "/gelu", inner);
    } else {
      act = name + "/relu";
      g.node("Relu", name + "/Relu", List.of(inner), List.of(act));
    }
    return AttentionOps.linear(g, name + "/outer", act, param + "/ffn_outer", w, true, null);
  }

  /** The exact GELU {@code h · 0.5 · (1 + Erf(h / √2))}, as PyTorch exports it below opset 20. */
  private static String gelu(GraphBuilder g, String name, String h) {
    String scaled = name + "/scaled";
    g.node("Div", name + "/Div", List.of(h, g.floatScalar(name + "/sqrt2", (float) Math.sqrt(2))), List.of(scaled));
    String erf = name + "/erf";
    g.node("Erf", name + "/Erf", List.of(scaled), List.of(erf));
    String plus = name + "/one_plus";
    g.node("Add", name + "/Add", List.of(erf, g.floatScalar(name + "/one", 1f)), List.of(plus));
    String times = name + "/times";
    g.node("Mul", name + "/Mul", List.of(h, plus), List.of(times));
    String out = name + "/output";
    g.node("Mul", name + "/half_Mul", List.of(times, g.floatScalar(name + "/half", 0.5f)), List.of(out));
    return out;
  }

  /** One post-norm relu encoder block over {@code x [B, T, d]}. */
  static String encoderBlock(GraphBuilder g, String name, String param, String x, int d, int heads, double epsilon,
      AttentionMask mask, boolean attentionOp, Weights w, String out) {
    return encoderBlock(g, name, param, x, d, heads, epsilon, false, FeedForwardActivation.RELU, mask, attentionOp, w, out);
  }

  /** One encoder block over {@code x [B, T, d]}, post-norm or pre-norm ({@code normFirst}), FFN activation {@code f}. */
  static String encoderBlock(GraphBuilder g, String name, String param, String x, int d, int heads, double epsilon,
      boolean normFirst, FeedForwardActivation f, AttentionMask mask, boolean attentionOp, Weights w, String out) {
    if (!normFirst) {
      String attended = AttentionOps.multiHead(g, name + "/attention", param + "/attention", x, x, heads, d / heads, mask, w,
          null, attentionOp);
      String a = addNorm(g, name + "/attention_norm", x, attended, param + "/attention_norm", epsilon, d, w, null);
      String ffn = feedForward(g, name + "/ffn", param, a, f, w);
      return addNorm(g, name + "/ffn_norm", a, ffn, param + "/ffn_norm", epsilon, d, w, out);
    }
    String h = layerNorm(g, name + "/attention_norm", x, param + "/attention_norm", true, true, epsilon, d, w, null);
    String attended = AttentionOps.multiHead(g, name + "/attention", param + "/attention", h, h, heads, d / heads, mask, w,
        null, attentionOp);
    String a = name + "/attention_residual";
    g.node("Add", name + "/attention_residual_Add", List.of(x, attended), List.of(a));
    String hn = layerNorm(g, name + "/ffn_norm", a, param + "/ffn_norm", true, true, epsilon, d, w, null);
    String ffn = feedForward(g, name + "/ffn", param, hn, f, w);
    String result = out != null ? out : name + "/output";
    g.node("Add", name + "/ffn_residual_Add", List.of(a, ffn), List.of(result));
    return result;
  }

  /** One decoder block over {@code y [B, T, d]} attending to {@code memory [B, S, d]}. */
  static String decoderBlock(GraphBuilder g, String name, String param, String y, String memory, int d, int heads,
      double epsilon, AttentionMask selfMask, AttentionMask crossMask, boolean attentionOp, Weights w, String out) {
    String self = AttentionOps.multiHead(g, name + "/self_attention", param + "/self_attention", y, y, heads, d / heads,
        selfMask, w, null, attentionOp);
    String a = addNorm(g, name + "/self_attention_norm", y, self, param + "/self_attention_norm", epsilon, d, w, null);
    String cross = AttentionOps.multiHead(g, name + "/cross_attention", param + "/cross_attention", a, memory, heads,
        d / heads, crossMask, w, null, attentionOp);
    String c = addNorm(g, name + "/cross_attention_norm", a, cross, param + "/cross_attention_norm", epsilon, d, w, null);
    String ffn = feedForward(g, name + "/ffn", param, c, w);
    return addNorm(g, name + "/ffn_norm", c, ffn, param + "/ffn_norm", epsilon, d, w, out);
  }
}

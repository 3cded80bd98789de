package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One Transformer encoder block (Vaswani et al., 2017; post-normalisation as in the paper):
 *
 * <pre>
 * a = LayerNorm(x + MultiHeadAttention(x))                  (self-attention, padding mask)
 * y = LayerNorm(a + Dense(d)(relu(Dense(ff_dim)(a))))       (position-wise feed-forward)
 * </pre>
 *
 * No dropout (rnnx verifies inference). The key width is {@code d / heads}. Parameters:
 * {@code <name>/attention/...} ({@link MultiHeadAttention#projections}),
 * {@code <name>/attention_norm/gamma|beta}, {@code <name>/ffn_inner/kernel [d, ff]|bias},
 * {@code <name>/ffn_outer/kernel [ff, d]|bias}, {@code <name>/ffn_norm/gamma|beta}.
 *
 * @param name layer name
 * @param heads attention heads; must divide the input width
 * @param ffDim width of the feed-forward hidden layer
 * @param epsilon the layer normalisations' epsilon
 * @param causal whether self-attention is causal
 */
public record TransformerEncoder(String name, int heads, int ffDim, double epsilon, boolean causal) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "transformer_encoder";

  /** Validates the fields. */
  public TransformerEncoder {
    Layer.checkName(name);
    Layer.checkPositive(name, "heads", heads);
    Layer.checkPositive(name, "ff_dim", ffDim);
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("layer '" + name + "': epsilon is " + epsilon + ", expected > 0");
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name, input);
    if (input.dim(-1) % heads != 0) {
      throw new IllegalArgumentException("layer '" + name + "': heads " + heads + " must divide the input width " + input.dim(-1));
    }
    return List.of(input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return blockParameters(name, input.dim(-1), heads, ffDim, false);
  }

  /**
   * The parameters of an encoder block, or with {@code decoder} of a decoder block (which adds
   * {@code cross_attention} and {@code cross_attention_norm} between self-attention and the
   * feed-forward part, its self-attention named {@code self_attention}).
   */
  public static List<ParameterSpec> blockParameters(String prefix, int d, int heads, int ffDim, boolean decoder) {
    int keyDim = d / heads;
    List<ParameterSpec> params = new ArrayList<>();
    String self = decoder ? "/self_attention" : "/attention";
    params.addAll(MultiHeadAttention.projections(prefix + self, heads, keyDim, d, d));
    params.add(new ParameterSpec(prefix + self + "_norm/gamma", new int[] {d}));
    params.add(new ParameterSpec(prefix + self + "_norm/beta", new int[] {d}));
    if (decoder) {
      params.addAll(MultiHeadAttention.projections(prefix + "/cross_attention", heads, keyDim, d, d));
      params.add(new ParameterSpec(prefix + "/cross_attention_norm/gamma", new int[] {d}));
      params.add(new ParameterSpec(prefix + "/cross_attention_norm/beta", new int[] {d}));
    }
    params.add(new ParameterSpec(prefix + "/ffn_inner/kernel", new int[] {d, ffDim}));
    params.add(new ParameterSpec(prefix + "/ffn_inner/bias", new int[] {ffDim}));
    params.add(new ParameterSpec(prefix + "/ffn_outer/kernel", new int[] {ffDim, d}));
    params.add(new ParameterSpec(prefix + "/ffn_outer/bias", new int[] {d}));
    params.add(new ParameterSpec(prefix + "/ffn_norm/gamma", new int[] {d}));
    params.add(new ParameterSpec(prefix + "/ffn_norm/beta", new int[] {d}));
    return params;
  }

  @Override
  public List<String> outputNames() {
    return List.of("output");
  }

  @Override
  public boolean recurrent() {
    return true;
  }
}

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One Transformer encoder block (Vaswani et al., 2017), post-normalisation as in the paper (the
 * default) or pre-normalisation ({@code norm_first}, as PyTorch's {@code norm_first=True}):
 *
 * <pre>
 * post-norm: a = LayerNorm1(x + MultiHeadAttention(x))          (self-attention, padding mask)
 *            y = LayerNorm2(a + FFN(a))
 * pre-norm:  a = x + MultiHeadAttention(LayerNorm1(x))
 *            y = a + FFN(LayerNorm2(a))
 * FFN(h)     = Dense(d)(activation(Dense(ff_dim)(h)))          (position-wise; relu or gelu)
 * </pre>
 *
 * A pre-norm stack's final normalisation (PyTorch's {@code TransformerEncoder(norm=...)}) is a
 * separate {@code layer_normalization} layer. LayerNorm1 is {@code attention_norm}, LayerNorm2
 * {@code ffn_norm}, in both orders.
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
 * @param normFirst pre-normalisation (recipe {@code norm_first}, default false)
 * @param activation the feed-forward activation (recipe {@code activation}, default relu)
 */
public record TransformerEncoder(String name, int heads, int ffDim, double epsilon, boolean causal, boolean normFirst,
    FeedForwardActivation activation) implements Layer {

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
    if (activation == null) {
      throw new IllegalArgumentException("layer '" + name + "': activation is missing, expected relu or gelu");
    }
  }

  /** A post-norm block with a relu feed-forward part (the paper's, and the recipe default). */
  public TransformerEncoder(String name, int heads, int ffDim, double epsilon, boolean causal) {
    this(name, heads, ffDim, epsilon, causal, false, FeedForwardActivation.RELU);
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

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head scaled dot-product self-attention (Vaswani et al., 2017), Keras's
 * {@code MultiHeadAttention} with query = key = value: for each head h,
 * {@code softmax(Q_h K_hᵀ / √key_dim + mask) V_h}, heads concatenated and projected back to the
 * input width d. The mask gives no weight to keys past a sequence's length (padding mask) and,
 * with {@code causal}, to keys after the query. Parameters, Keras's layout: {@code query/kernel
 * [d, heads·key_dim]}, {@code query/bias [heads·key_dim]}, the same for {@code key} and
 * {@code value}, {@code output/kernel [heads·key_dim, d]}, {@code output/bias [d]}.
 *
 * @param name layer name
 * @param heads number of heads
 * @param keyDim width of each head
 * @param causal whether step t may only attend to steps ≤ t
 */
public record MultiHeadAttention(String name, int heads, int keyDim, boolean causal) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "multi_head_attention";

  /** Validates the fields. */
  public MultiHeadAttention {
    Layer.checkName(name);
    Layer.checkPositive(name, "heads", heads);
    Layer.checkPositive(name, "key_dim", keyDim);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name, input);
    return List.of(input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return projections(name, heads, keyDim, input.dim(-1), input.dim(-1));
  }

  /** The projections of attention from queries of width {@code dq} to keys/values of width {@code dkv}. */
  public static List<ParameterSpec> projections(String prefix, int heads, int keyDim, int dq, int dkv) {
    int inner = heads * keyDim;
    List<ParameterSpec> params = new ArrayList<>();
    params.add(new ParameterSpec(prefix + "/query/kernel", new int[] {dq, inner}));
    params.add(new ParameterSpec(prefix + "/query/bias", new int[] {inner}));
    params.add(new ParameterSpec(prefix + "/key/kernel", new int[] {dkv, inner}));
    params.add(new ParameterSpec(prefix + "/key/bias", new int[] {inner}));
    params.add(new ParameterSpec(prefix + "/value/kernel", new int[] {dkv, inner}));
    params.add(new ParameterSpec(prefix + "/value/bias", new int[] {inner}));
    params.add(new ParameterSpec(prefix + "/output/kernel", new int[] {inner, dq}));
    params.add(new ParameterSpec(prefix + "/output/bias", new int[] {dq}));
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

package dev.rnnx.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Self-attention over a sequence {@code [B, T, d]} with one of the classic score functions
 * ({@link AttentionScore}): every step's output is the attention-weighted sum of all steps' inputs,
 * {@code out_t = Σ_s softmax_s(score(x_t, x_s)) · x_s} (Keras's {@code Attention} and
 * {@code AdditiveAttention} with query = key = value). Keys past a sequence's length get no
 * weight; with {@code causal} neither do keys after the query. Query steps past the length are
 * computed like any other. Parameters: see {@link AttentionScore}.
 *
 * @param name layer name
 * @param score the score function
 * @param units the hidden size u of the additive score (ignored by the others)
 * @param causal whether step t may only attend to steps ≤ t
 */
public record Attention(String name, AttentionScore score, int units, boolean causal) implements Layer {

  /** Recipe kind. */
  public static final String KIND = "attention";

  /** Validates the fields. */
  public Attention {
    Layer.checkName(name);
    if (score == null) {
      throw new IllegalArgumentException("layer '" + name + "': score is missing");
    }
    if (score == AttentionScore.ADDITIVE) {
      Layer.checkPositive(name, "units", units);
    }
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public String typeName() {
    return score == AttentionScore.ADDITIVE ? "AdditiveAttention" : "Attention";
  }

  @Override
  public List<Shape> outputShapes(Shape input) {
    Layer.checkSequence(name, input);
    return List.of(input);
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    return scoreParameters(name, score, units, input.dim(-1), input.dim(-1));
  }

  /** The parameters of a score function between queries of width {@code dq} and keys of width {@code dk}. */
  public static List<ParameterSpec> scoreParameters(String prefix, AttentionScore score, int units, int dq, int dk) {
    List<ParameterSpec> params = new ArrayList<>();
    if (score == AttentionScore.GENERAL) {
      params.add(new ParameterSpec(prefix + "/kernel", new int[] {dq, dk}));
    } else if (score == AttentionScore.ADDITIVE) {
      params.add(new ParameterSpec(prefix + "/query_kernel", new int[] {dq, units}));
      params.add(new ParameterSpec(prefix + "/key_kernel", new int[] {dk, units}));
      params.add(new ParameterSpec(prefix + "/bias", new int[] {units}));
      params.add(new ParameterSpec(prefix + "/score_vector", new int[] {units}));
    }
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

package dev.rnnx.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How an attention layer scores a query q against a key k (then softmax over the keys, then the
 * weighted sum of the values):
 *
 * <ul>
 *   <li>{@code dot} (Luong): {@code q · k}
 *   <li>{@code scaled_dot} (Vaswani et al.): {@code q · k / √d}, d the key width (a fixed scale,
 *       not Keras's trainable {@code use_scale})
 *   <li>{@code general} (Luong): {@code q · W · k}, {@code W [d_q, d_k]} (parameter {@code kernel})
 *   <li>{@code additive} (Bahdanau; seed 003's one-hidden-layer feed-forward scoring):
 *       {@code v · tanh(q · W_q + k · W_k + b)}, parameters {@code query_kernel [d_q, u]},
 *       {@code key_kernel [d_k, u]}, {@code bias [u]}, {@code score_vector [u]}
 * </ul>
 */
public enum AttentionScore {
  DOT, SCALED_DOT, GENERAL, ADDITIVE;

  /** The recipe name. */
  public String recipeName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a recipe name, naming the choices when unknown. */
  public static AttentionScore fromName(String name) {
    for (AttentionScore s : values()) {
      if (s.recipeName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown attention score '" + name + "', expected one of "
        + Arrays.stream(values()).map(AttentionScore::recipeName).collect(Collectors.joining(", ", "[", "]")));
  }
}

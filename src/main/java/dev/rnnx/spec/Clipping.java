package dev.rnnx.spec;

/**
 * Gradient clipping (seed 003): element-wise by value, or by the L2 norm of all gradients together
 * (which keeps their direction).
 *
 * @param kind none, value or global norm
 * @param threshold the value bound or the norm bound; ignored for none
 */
public record Clipping(Kind kind, double threshold) {

  /** The clipping methods. */
  public enum Kind {
    /** No clipping. */
    NONE,
    /** {@code g ← clip(g, −threshold, threshold)} element-wise. */
    VALUE,
    /** {@code g ← g · threshold / max(threshold, ‖all g‖₂)}. */
    GLOBAL_NORM
  }

  /** No clipping. */
  public static final Clipping NONE = new Clipping(Kind.NONE, 0);

  /** Validates the threshold. */
  public Clipping {
    if (kind == null) {
      throw new IllegalArgumentException("clipping kind is missing");
    }
    if (kind != Kind.NONE && (!(threshold > 0) || Double.isInfinite(threshold))) {
      throw new IllegalArgumentException("clipping threshold is " + threshold + ", expected a finite number > 0");
    }
  }

  /** Clip each gradient element to ±threshold. */
  public static Clipping byValue(double threshold) {
    return new Clipping(Kind.VALUE, threshold);
  }

  /** Scale all gradients together so their global L2 norm is at most threshold. */
  public static Clipping byGlobalNorm(double threshold) {
    return new Clipping(Kind.GLOBAL_NORM, threshold);
  }
}

package dev.rnnx.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a parameter's initial values are drawn. Fans follow Keras: for a kernel {@code [in, out]}
 * fan-in is {@code in} and fan-out {@code out}; for a vector both are its length.
 *
 * <ul>
 *   <li>{@code zeros}, {@code ones}
 *   <li>{@code normal}: N(0, scale²), {@code scale} the standard deviation (the seeds' "weights N(0, 1)")
 *   <li>{@code uniform}: U(−scale, scale)
 *   <li>{@code glorot_uniform}: U(±√(6 / (fan_in + fan_out))); {@code glorot_normal}: truncated normal
 *       (±2σ) with σ = √(2 / (fan_in + fan_out)) / 0.87962566103423978 (Keras's correction)
 *   <li>{@code he_uniform}: U(±√(6 / fan_in)); {@code he_normal}: truncated normal with σ = √(2 / fan_in) / 0.8796…
 *   <li>{@code orthogonal}: a random orthogonal matrix (QR of a Gaussian one, signs fixed) times {@code scale}
 * </ul>
 *
 * @param kind the distribution
 * @param scale the standard deviation ({@code normal}), the limit ({@code uniform}) or the gain
 *     ({@code orthogonal}); 1 elsewhere
 */
public record Initializer(Kind kind, double scale) {

  /** The distributions. */
  public enum Kind {
    ZEROS, ONES, NORMAL, UNIFORM, GLOROT_UNIFORM, GLOROT_NORMAL, HE_UNIFORM, HE_NORMAL, ORTHOGONAL;

    /** The recipe name, e.g. {@code glorot_uniform}. */
    public String recipeName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the kind takes a {@code scale}. */
    public boolean scaled() {
      return this == NORMAL || this == UNIFORM || this == ORTHOGONAL;
    }
  }

  /** Keras's default kernel initializer. */
  public static final Initializer GLOROT_UNIFORM = new Initializer(Kind.GLOROT_UNIFORM, 1);
  /** Keras's default recurrent initializer. */
  public static final Initializer ORTHOGONAL = new Initializer(Kind.ORTHOGONAL, 1);
  /** Keras's default bias initializer. */
  public static final Initializer ZEROS = new Initializer(Kind.ZEROS, 1);
  /** Keras's default embedding initializer, U(−0.05, 0.05). */
  public static final Initializer EMBEDDING = new Initializer(Kind.UNIFORM, 0.05);

  /** Validates the scale. */
  public Initializer {
    if (kind == null) {
      throw new IllegalArgumentException("initializer kind is missing, expected one of " + choices());
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("initializer " + kind.recipeName() + " has scale " + scale + ", expected a finite number > 0");
    }
  }

  /** N(0, std²). */
  public static Initializer normal(double std) {
    return new Initializer(Kind.NORMAL, std);
  }

  /** An unscaled initializer of a kind. */
  public static Initializer of(Kind kind) {
    return new Initializer(kind, 1);
  }

  /** Parses a kind name, naming the choices when unknown. */
  public static Kind kind(String name) {
    for (Kind k : Kind.values()) {
      if (k.recipeName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown initializer '" + name + "', expected one of " + choices());
  }

  private static String choices() {
    return Arrays.stream(Kind.values()).map(Kind::recipeName).collect(Collectors.joining(", ", "[", "]"));
  }

  @Override
  public String toString() {
    return kind.scaled() ? kind.recipeName() + "(" + scale + ")" : kind.recipeName();
  }
}

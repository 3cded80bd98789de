package dev.rnnx.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How {@link Bidirectional} joins its forward and backward outputs. */
public enum MergeMode {
  /** {@code [h_f, h_b]} on the last axis (size 2H), the seeds' {@code concat([h_f, h_b[::-1]])}. */
  CONCAT,
  /** {@code h_f + h_b}. */
  SUM,
  /** {@code h_f ⊙ h_b}. */
  MUL,
  /** {@code (h_f + h_b) / 2}. */
  AVE;

  /** The recipe name. */
  public String recipeName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses a recipe name, naming the choices when unknown. */
  public static MergeMode fromName(String name) {
    for (MergeMode m : values()) {
      if (m.recipeName().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown merge_mode '" + name + "', expected one of "
        + Arrays.stream(values()).map(MergeMode::recipeName).collect(Collectors.joining(", ", "[", "]")));
  }

  /** Merges one forward and one backward value. */
  public double merge(double forward, double backward) {
    return switch (this) {
      case CONCAT -> throw new UnsupportedOperationException("concat does not merge element-wise");
      case SUM -> forward + backward;
      case MUL -> forward * backward;
      case AVE -> (forward + backward) / 2;
    };
  }
}

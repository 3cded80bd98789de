package dev.rnnx.verify;

import java.util.Arrays;
import java.util.Locale;

/**
 * ONNX Runtime's graph optimisation levels that parity is checked at. Graph rewrites (constant
 * folding, node fusion, layout changes) change the order of floating-point operations and so the
 * numerics, so each level is its own backend ({@link BackendKind#ortLevel()}).
 */
public enum OrtOptLevel {
  /** Every rewrite ({@code ORT_ENABLE_ALL}), ONNX Runtime's default. */
  ALL("ALL_OPT"),
  /** Basic rewrites only ({@code ORT_ENABLE_BASIC}): constant folding, redundant node elimination. */
  BASIC("BASIC_OPT"),
  /** No rewrite ({@code ORT_DISABLE_ALL}): the graph as written. */
  DISABLED("NO_OPT");

  private final String djlName;

  OrtOptLevel(String djlName) {
    this.djlName = djlName;
  }

  /** The value of DJL's {@code optLevel} option and of ORT Java's {@code OptLevel} enum. */
  public String djlName() {
    return djlName;
  }

  /** The lower-case name, e.g. {@code basic}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code all}, {@code basic} or {@code disabled}.
   *
   * @throws IllegalArgumentException listing the valid names
   */
  public static OrtOptLevel parse(String name) {
    for (OrtOptLevel l : values()) {
      if (l.cliName().equalsIgnoreCase(name.strip())) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown ONNX Runtime optimisation level '" + name + "', expected one of "
        + Arrays.stream(values()).map(OrtOptLevel::cliName).toList());
  }
}

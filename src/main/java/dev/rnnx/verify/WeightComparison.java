package dev.rnnx.verify;

import java.util.Locale;

/**
 * The parameter-by-parameter comparison of an ONNX file's and a SavedModel's weights, both lifted
 * into rnnx's canonical (Keras) layout ({@link ArtifactWeights}).
 *
 * @param status {@code identical} (every value equal bit for bit), {@code rounding} (every value
 *     within 4 float32 ulps of the other), {@code differ}, or {@code not_compared}
 * @param onnxSide how the ONNX file was lifted, or why it could not be
 * @param savedModelSide how the SavedModel was lifted, or why it could not be
 * @param compared the number of parameters compared (0 when not compared)
 * @param differing the number of parameters with a value beyond float32 rounding
 * @param maxAbsDiff the largest absolute difference over every parameter (NaN when not compared)
 * @param first the first differing value in the canonical parameter order, or {@code null}
 */
public record WeightComparison(String status, String onnxSide, String savedModelSide, int compared, int differing,
    double maxAbsDiff, FirstDifference first) {

  /** {@link #status()} when every value is equal bit for bit. */
  public static final String IDENTICAL = "identical";
  /** {@link #status()} when every value is within float32 rounding of the other. */
  public static final String ROUNDING = "rounding";
  /** {@link #status()} when a parameter differs beyond float32 rounding. */
  public static final String DIFFER = "differ";
  /** {@link #status()} when a side could not be lifted. */
  public static final String NOT_COMPARED = "not_compared";

  /**
   * The first value that differs.
   *
   * @param layer the layer's name in the canonical spec
   * @param parameter the parameter's Keras role ({@code kernel}, {@code recurrent_kernel}, {@code bias}, ...),
   *     with the direction for a bidirectional layer ({@code forward/recurrent_kernel})
   * @param gateBlock the gate block of a recurrent parameter ({@code i}, {@code f}, {@code c}, {@code o}
   *     for LSTM; {@code z}, {@code r}, {@code h} for GRU), or {@code null}
   * @param gateOrder the canonical order of the blocks ({@code i, f, c, o}), or {@code null}
   * @param unit the unit within the gate block, or -1
   * @param index the value's position, one index per dimension
   * @param onnxValue the value lifted from the ONNX file
   * @param savedModelValue the value lifted from the SavedModel
   * @param parameterMaxAbsDiff the largest absolute difference within this parameter
   * @param differingValues how many of this parameter's values differ beyond rounding
   */
  public record FirstDifference(String layer, String parameter, String gateBlock, String gateOrder, int unit, long[] index,
      float onnxValue, float savedModelValue, double parameterMaxAbsDiff, long differingValues) {

    /** Copies the index. */
    public FirstDifference {
      index = index.clone();
    }

    @Override
    public long[] index() {
      return index.clone();
    }
  }

  /** A comparison that was not made, with the two sides' lines. */
  static WeightComparison notCompared(String onnxSide, String savedModelSide) {
    return new WeightComparison(NOT_COMPARED, onnxSide, savedModelSide, 0, 0, Double.NaN, null);
  }

  /** Whether a parameter differs beyond float32 rounding. */
  public boolean differs() {
    return DIFFER.equals(status);
  }

  /** One line for the console and the reports. */
  public String describe() {
    return switch (status) {
      case IDENTICAL -> "weights identical: all " + compared + " parameters equal bit for bit (ONNX file: " + onnxSide
          + "; SavedModel: " + savedModelSide + ")";
      case ROUNDING -> String.format(Locale.ROOT, "weights equal within float32 rounding: all %d parameters, max abs diff"
          + " %.3e (ONNX file: %s; SavedModel: %s)", compared, maxAbsDiff, onnxSide, savedModelSide);
      case DIFFER -> String.format(Locale.ROOT, "weights differ: %d of %d parameters; first differing: layer '%s', parameter"
          + " %s%s, element %s: %s in the ONNX file, %s in the SavedModel (max abs diff %.3e over %d values of this"
          + " parameter); over all parameters max abs diff %.3e", differing, compared, first.layer(), first.parameter(), gate(first),
          java.util.Arrays.toString(first.index()), Float.toString(first.onnxValue()), Float.toString(first.savedModelValue()),
          first.parameterMaxAbsDiff(), first.differingValues(), maxAbsDiff);
      default -> "weights not compared: ONNX file: " + onnxSide + "; SavedModel: " + savedModelSide;
    };
  }

  /** {@link #describe()} wrapped at spaces to lines of at most {@code width} columns, continuation lines indented by two. */
  public String text(int width) {
    StringBuilder out = new StringBuilder();
    StringBuilder line = new StringBuilder();
    for (String word : describe().split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        out.append(line).append('\n');
        line.setLength(0);
        line.append("  ").append(word);
        continue;
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    return out.append(line).append('\n').toString();
  }

  private static String gate(FirstDifference f) {
    return f.gateBlock() == null ? "" : ", gate block " + f.gateBlock() + " (canonical order " + f.gateOrder() + "), unit "
        + f.unit();
  }
}

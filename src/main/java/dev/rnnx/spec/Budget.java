package dev.rnnx.spec;

import java.util.Locale;

/**
 * The size limits rnnx checks before it allocates: a recipe's parameters, activations per batch,
 * data set and training steps; a tensor file's bytes; a served model's warm-up tensor; an ONNX
 * model's initializer bytes. Each limit is a system property ({@code -Drnnx.budget.<name>=N}, through
 * {@code RNNX_JAVA_OPTS} for the CLI); the defaults suit a 2-core machine with 24 GiB of memory.
 * A value over its limit is refused with one line naming the thing, the value, the limit and the
 * property that raises it ({@link BudgetException}).
 */
public enum Budget {
  /** Trainable scalars of a recipe's model. */
  PARAMETERS("parameters", 50_000_000L, "parameters"),
  /** Rough activations of one training batch: batch × time steps × widest layer × layers. */
  ACTIVATIONS("activations", 200_000_000L, "activations per batch"),
  /** Values of a recipe's generated data set: examples × time steps. */
  DATA("data", 100_000_000L, "data values"),
  /** Estimated training steps: epochs × steps per epoch. */
  STEPS("steps", 1_000_000L, "training steps"),
  /** Bytes of one tensor input file (.npy, .pb, JSON). */
  TENSOR_FILE_BYTES("tensor-file-bytes", 1L << 30, "bytes"),
  /** Elements of one warm-up tensor {@code RnnxModel.load} builds from a model's declared input shape. */
  WARMUP_ELEMENTS("warmup-elements", 16_000_000L, "elements"),
  /** Bytes of an ONNX model's initializers (its weights), summed from their declared shapes. */
  ONNX_INITIALIZER_BYTES("onnx-initializer-bytes", 2L << 30, "initializer bytes"),
  /** Elements of one tensor the pure-Java ONNX evaluator computes (at most {@code Integer.MAX_VALUE}). */
  ONNX_EVAL_ELEMENTS("onnx-eval-elements", 1L << 28, "elements");

  private final String name;
  private final long defaultLimit;
  private final String unit;

  Budget(String name, long defaultLimit, String unit) {
    this.name = name;
    this.defaultLimit = defaultLimit;
    this.unit = unit;
  }

  /** The system property that sets this limit, e.g. {@code rnnx.budget.parameters}. */
  public String property() {
    return "rnnx.budget." + name;
  }

  /** The limit when its property is not set. */
  public long defaultLimit() {
    return defaultLimit;
  }

  /** What the limit counts, e.g. {@code parameters}. */
  public String unit() {
    return unit;
  }

  /**
   * The limit in force: the system property when set, else the default.
   *
   * @throws IllegalArgumentException when the property is not a positive integer
   */
  public long limit() {
    String value = System.getProperty(property());
    if (value == null || value.isBlank()) {
      return defaultLimit;
    }
    try {
      long limit = Long.parseLong(value.strip().replace("_", ""));
      if (limit > 0) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("system property " + property() + " is '" + value + "', expected a positive integer");
  }

  /**
   * Refuses {@code value} when it is over the limit.
   *
   * @param thing what has the value, named in the message (e.g. {@code recipe models/x.yaml})
   * @param value the size; {@link Long#MAX_VALUE} stands for a size that overflowed
   * @throws BudgetException naming the thing, the value, the limit and how to raise it
   */
  public void check(String thing, long value) {
    long limit = limit();
    if (value > limit) {
      throw new BudgetException(this, thing, value, limit);
    }
  }

  /** The refusal's text for {@code value} over {@code limit}. */
  String message(String thing, long value, long limit) {
    String has = value == Long.MAX_VALUE ? "more than 2^63" : String.format(Locale.ROOT, "%,d", value);
    return String.format(Locale.ROOT, "%s: %s %s, over the limit of %,d (raise it with -D%s=N, e.g. in RNNX_JAVA_OPTS)",
        thing, has, unit, limit, property());
  }

  /** {@code a × b}, or {@link Long#MAX_VALUE} when it overflows (for sizes checked against a budget). */
  public static long times(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code a + b}, or {@link Long#MAX_VALUE} when it overflows. */
  public static long plus(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}

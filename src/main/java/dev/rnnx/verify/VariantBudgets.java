package dev.rnnx.verify;

import dev.rnnx.onnx.ModelVariant;

/**
 * The parity budget of each lightweight variant ({@link ModelVariant}) against the float32
 * reference: looser than float32's 1e-5, because the variant's weights are rounded on purpose.
 * Polygraphy's elementwise rule applies (an element fails only when its absolute error exceeds
 * {@code atol} <b>and</b> its relative error exceeds {@code rtol}).
 *
 * <ul>
 *   <li>{@link ModelVariant#FP16}: {@value #FP16_ATOL} / {@value #FP16_RTOL}. Float16 keeps 11
 *       significant bits, so each weight moves by up to 2⁻¹¹ ≈ 4.9e-4 of itself. Worst measured: 8.3e-5
 *       on the zoo's trained models, 1.8e-3 on a seeded seq2seq Transformer's log-probabilities
 *       (docs/VERIFY.md, "Lightweight variants").
 *   <li>{@link ModelVariant#INT8}: {@value #INT8_ATOL} / {@value #INT8_RTOL}. 255 levels per weight
 *       column or row, and 256 per activation tensor at run time: a step of about 0.4 % of a
 *       tensor's range; errors add up over the layers and the time steps of a recurrent layer. Worst
 *       measured: 4.7e-3 on the trained zoo models, 5.5e-2 absolute (each element within 3e-2 or 3 % of itself) on a seeded
 *       seq2seq Transformer's log-probabilities.
 * </ul>
 */
public final class VariantBudgets {

  /** fp16's absolute tolerance. */
  public static final double FP16_ATOL = 5e-3;
  /** fp16's relative tolerance. */
  public static final double FP16_RTOL = 5e-3;
  /** int8's absolute tolerance. */
  public static final double INT8_ATOL = 5e-2;
  /** int8's relative tolerance. */
  public static final double INT8_RTOL = 5e-2;

  private VariantBudgets() {}

  /** The budget of a variant, under the elementwise rule. */
  public static Criterion of(ModelVariant variant) {
    return switch (variant) {
      case FP16 -> Criterion.DEFAULT.withTolerances(FP16_ATOL, FP16_RTOL);
      case INT8 -> Criterion.DEFAULT.withTolerances(INT8_ATOL, INT8_RTOL);
    };
  }
}

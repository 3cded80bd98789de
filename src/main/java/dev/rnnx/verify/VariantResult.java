package dev.rnnx.verify;

import dev.rnnx.onnx.ModelVariant;
import java.nio.file.Path;

/**
 * One lightweight variant's verification: its parity against the float32 reference under its own
 * budget ({@link VariantBudgets}), its size and its speed against the float32 model's.
 *
 * @param variant which variant
 * @param file the variant's ONNX file
 * @param bytes its size
 * @param fp32Bytes the float32 model's size
 * @param budget the criterion its outputs were judged by
 * @param parity the comparison of its candidates ({@code djl-ort[fp16]}, {@code ref-onnx[fp16]}, …)
 *     with the float32 reference, on the same cases as the float32 verification
 * @param millis median wall milliseconds of one pass over every case on {@code djl-ort}, or NaN
 *     when not measured
 * @param fp32Millis the same for the float32 model, measured alternately with the variant's
 */
public record VariantResult(ModelVariant variant, Path file, long bytes, long fp32Bytes, Criterion budget,
    ParityResult parity, double millis, double fp32Millis) {

  /** Whether every candidate ran and stayed within the budget. */
  public boolean passed() {
    return parity.passed();
  }

  /** Size over the float32 model's. */
  public double sizeRatio() {
    return fp32Bytes == 0 ? Double.NaN : (double) bytes / fp32Bytes;
  }

  /** Float32 time over the variant's time: above 1 the variant is faster. */
  public double speedup() {
    return millis > 0 ? fp32Millis / millis : Double.NaN;
  }
}

package dev.rnnx.pipeline;

import dev.rnnx.onnx.ModelVariant;
import java.nio.file.Path;

/**
 * What {@link ModelExport} writes: float32 at an opset, or one lightweight variant.
 *
 * @param variant {@code null} for float32, else {@link ModelVariant#FP16} or {@link ModelVariant#INT8}
 * @param opset the opset to export a run folder's weights at, or {@code null} for the run's own
 *     ONNX file (a variant) or the recipe's opset (float32)
 * @param output the file to write (a folder for a model with several forms), or {@code null} for
 *     the default beside the source
 * @param reduceRange int8 weights in ±63 (x86 CPUs without VNNI); int8 only
 */
public record ExportOptions(ModelVariant variant, Integer opset, Path output, boolean reduceRange) {

  /** Checks the combination. */
  public ExportOptions {
    if (reduceRange && variant != ModelVariant.INT8) {
      throw new IllegalArgumentException("--reduce-range applies to --quantize dynamic-int8 only");
    }
  }

  /** A builder: float32, the recipe's opset, the default output. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ExportOptions}; every setting is optional. */
  public static final class Builder {
    private ModelVariant variant;
    private Integer opset;
    private Path output;
    private boolean reduceRange;

    Builder() {}

    /** The variant, or {@code null} for float32. */
    public Builder variant(ModelVariant v) {
      variant = v;
      return this;
    }

    /** The opset, or {@code null} for the default. */
    public Builder opset(Integer v) {
      opset = v;
      return this;
    }

    /** The output file or folder, or {@code null} for the default. */
    public Builder output(Path v) {
      output = v;
      return this;
    }

    /** int8 weights in ±63. */
    public Builder reduceRange(boolean v) {
      reduceRange = v;
      return this;
    }

    /** Validates and builds. */
    public ExportOptions build() {
      return new ExportOptions(variant, opset, output, reduceRange);
    }
  }
}

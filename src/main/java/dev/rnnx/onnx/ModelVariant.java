package dev.rnnx.onnx;

import java.util.Arrays;
import java.util.Locale;

/**
 * A lightweight variant of an exported float32 model (seed 001's quantisation, fp32 → fp16/int8),
 * made by {@link ModelVariants}. Inputs and outputs stay float32 (and the integer inputs stay as
 * they were), so callers do not change.
 *
 * <ul>
 *   <li>{@link #FP16}: {@code ./rnnx export --precision fp16}. Weights are stored as float16 and
 *       cast to float32 once when the model is loaded; every op computes in float32 — the limit case
 *       of onnxconverter-common's {@code keep_io_types} with every op in {@code op_block_list}.
 *       ONNX Runtime 1.28's CPU provider has float16 kernels for none of LSTM, GRU, RNN, MatMul,
 *       Gemm, Add, Mul, Sigmoid, Tanh, Relu, Softmax, ReduceMean (LayerNormalization only): it puts
 *       Casts to float32 around such nodes itself ({@code InsertCastTransformer}; measured by
 *       {@code Fp16CpuKernelsTest}, {@code fp16_cpu_compute_kernels} in {@code runtimes.yaml}), so
 *       float16 computation would add rounding at every op and no speed. The file holds about half the
 *       weight bytes.
 *   <li>{@link #INT8}: {@code ./rnnx export --quantize dynamic-int8}. ONNX Runtime's
 *       {@code quantize_dynamic} scheme in standard ops: the weights of MatMul and Gemm are int8,
 *       symmetric, one scale per output column; their activations are quantised to uint8 per tensor
 *       at run time ({@code DynamicQuantizeLinear → MatMulInteger → Cast → Mul}). The weights of the
 *       recurrent ops (LSTM, GRU, RNN {@code W} and {@code R}) and embedding tables (Gather) are
 *       stored as int8 with one scale per row and dequantised ({@code Mul(Cast(w_q), scale)}, folded
 *       by ONNX Runtime at load) into the
 *       float32 op: ONNX has no standard quantised recurrent op. About a quarter of the weight bytes.
 * </ul>
 */
public enum ModelVariant {
  /** Float16 weights, float32 computation. */
  FP16("fp16", "--precision fp16"),
  /** Dynamic int8 quantisation of MatMul/Gemm, int8 weight storage for recurrent ops and embeddings. */
  INT8("int8", "--quantize dynamic-int8");

  private final String id;
  private final String option;

  ModelVariant(String id, String option) {
    this.id = id;
    this.option = option;
  }

  /** The short name used in file names, metadata and reports: {@code fp16}, {@code int8}. */
  public String id() {
    return id;
  }

  /** The {@code rnnx export} option that makes it. */
  public String option() {
    return option;
  }

  /** The variant's file for a form: {@code model.fp16.onnx}, {@code training.int8.onnx}. */
  public String fileName(String form) {
    return form + "." + id + ".onnx";
  }

  /**
   * The variant's file beside an ONNX file: {@code x.onnx} → {@code x.fp16.onnx} (a name without
   * the {@code .onnx} suffix gets one).
   */
  public String siblingName(String onnxFileName) {
    String base = onnxFileName.endsWith(".onnx") ? onnxFileName.substring(0, onnxFileName.length() - 5) : onnxFileName;
    return fileName(base);
  }

  /**
   * The variant named {@code fp16} or {@code int8} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the valid names
   */
  public static ModelVariant parse(String name) {
    for (ModelVariant v : values()) {
      if (v.id.equalsIgnoreCase(name.strip())) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown model variant '" + name + "', expected one of "
        + Arrays.stream(values()).map(ModelVariant::id).toList());
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}

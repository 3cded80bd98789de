package dev.rnnx.cli;

import dev.rnnx.onnx.ModelVariant;
import dev.rnnx.pipeline.ExportOptions;
import dev.rnnx.pipeline.ModelExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code rnnx export RUN_DIR_OR_MODEL [--precision fp32|fp16] [--quantize none|dynamic-int8]
 * [--opset N] [--output PATH]}: a float32 model at an opset, or a lightweight variant
 * ({@link ModelExport}).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Write a model at another opset, or a float16 or int8 variant.",
    description = {
      "Export a run folder's model to ONNX at an opset (float32), or write a lightweight variant of a run folder's"
          + " ONNX model(s) or of an ONNX file: --precision fp16 (float16 weights) or --quantize dynamic-int8 (ONNX"
          + " Runtime's dynamic quantisation scheme: int8 weights, each row with a float32 scale).",
      "The weights shrink to about 0.5 (fp16) or 0.3 (int8) of their float32 bytes; the graph and the provenance"
          + " metadata do not shrink, so a small model's file shrinks less (sine-lstm, 1,781 parameters: 0.74 and"
          + " 0.75) and a word2vec most_similar file can grow.",
      "Variants of a run folder are written beside model.onnx as model.fp16.onnx and model.int8.onnx, where 'rnnx verify"
          + " RUN_DIR' compares them with the float32 reference under their own budgets. Provenance (recipe, seed,"
          + " versions, metrics, precision, quantisation) is kept in the file's metadata_props."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "2:bad input (path, model file, option, opset)", "3:internal failure"})
final class ExportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_DIR_OR_MODEL", description = "Output folder of 'rnnx run', or an ONNX file.")
  Path source;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
      description = "fp32 (default) or fp16: float16 weights, cast to float32 on load.")
  String precision;

  @Option(names = "--quantize", paramLabel = "Q", defaultValue = "none",
      description = "none (default) or dynamic-int8: int8 weights, activations quantised at run time.")
  String quantize;

  @Option(names = "--opset", paramLabel = "N", description = "Opset to export a run folder's weights at (default: the"
      + " run's model.onnx for a variant, the recipe's opset for fp32). dynamic-int8 needs 11 or newer.")
  Integer opset;

  @Option(names = "--output", paramLabel = "PATH", description = "File to write (a folder for seq2seq and word2vec"
      + " runs, which have several forms). Default: beside the source, named model.fp16.onnx,"
      + " model.int8.onnx or model.opset<N>.onnx.")
  Path output;

  @Option(names = "--reduce-range", description = "int8 weights in ±63 instead of ±127, for x86 CPUs without VNNI"
      + " (as ONNX Runtime's reduce_range).")
  boolean reduceRange;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExportOptions options = ExportOptions.builder().variant(variant()).opset(opset).output(output)
        .reduceRange(reduceRange).build();
    List<ModelExport.Written> written = ModelExport.export(source, options);
    PrintWriter out = spec.commandLine().getOut();
    for (ModelExport.Written w : written) {
      out.printf(Locale.ROOT, "%s: %s, %,d bytes (%.2f of float32's %,d)%n  %s%n", w.form(), w.file(), w.bytes(),
          (double) w.bytes() / w.sourceBytes(), w.sourceBytes(), w.description());
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The variant the options ask for, or {@code null} for float32. */
  private ModelVariant variant() {
    String p = precision.strip().toLowerCase(Locale.ROOT);
    String q = quantize.strip().toLowerCase(Locale.ROOT);
    if (!p.equals("fp32") && !p.equals("fp16")) {
      throw new IllegalArgumentException("--precision " + precision + ": unknown precision, expected one of [fp32, fp16]");
    }
    if (!q.equals("none") && !q.equals("dynamic-int8")) {
      throw new IllegalArgumentException("--quantize " + quantize + ": unknown scheme, expected one of [none, dynamic-int8]");
    }
    if (p.equals("fp16") && q.equals("dynamic-int8")) {
      throw new IllegalArgumentException("--precision fp16 and --quantize dynamic-int8 cannot be combined: dynamic int8"
          + " keeps the float ops in fp32 (ONNX Runtime's CPU kernels for them are float32); write one variant per call");
    }
    return p.equals("fp16") ? ModelVariant.FP16 : q.equals("dynamic-int8") ? ModelVariant.INT8 : null;
  }
}

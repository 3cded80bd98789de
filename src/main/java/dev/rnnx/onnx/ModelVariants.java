package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.weights.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the lightweight variants of an exported float32 ONNX model ({@link ModelVariant}): float16
 * weights ({@link Float16Weights}) or dynamic int8 quantisation ({@link DynamicInt8Quantizer}).
 *
 * <p>The variant keeps the model's interface (input and output names, types and shapes), its
 * opset, IR version, producer and every {@code metadata_props} entry (rnnx's provenance), and adds
 * the transformation: {@code rnnx.variant} ({@code fp16} or {@code int8}), {@code rnnx.precision}
 * ({@code fp16} or {@code fp32}), {@code rnnx.quantization} ({@code none} or {@code dynamic-int8}),
 * {@code rnnx.variant.scheme} (which tensors went to which type and which ops run in which precision), {@code rnnx.variant.source} (the source file's name, when known),
 * {@code rnnx.variant.source_sha256} (of the source model's bytes) and
 * {@code rnnx.variant.rnnx_version}. It is validated like every export: the ONNX checker with full
 * check and strict shape inference up to opset 22, the reference evaluator at 23.
 */
public final class ModelVariants {

  /** {@code metadata_props} key: the variant's id. */
  public static final String KEY_VARIANT = "rnnx.variant";
  /**
   * {@code metadata_props} key: the precision weights are stored in ({@code fp16}) or that the
   * float ops compute in ({@code fp32}); a model without it is a plain float32 export.
   */
  public static final String KEY_PRECISION = "rnnx.precision";
  /** {@code metadata_props} key: {@code dynamic-int8} or {@code none}. */
  public static final String KEY_QUANTIZATION = "rnnx.quantization";
  /** {@code metadata_props} key: the transformation in words. */
  public static final String KEY_SCHEME = "rnnx.variant.scheme";
  /** {@code metadata_props} key: the source file's name. */
  public static final String KEY_SOURCE = "rnnx.variant.source";
  /** {@code metadata_props} key: SHA-256 of the source model's serialised bytes. */
  public static final String KEY_SOURCE_SHA256 = "rnnx.variant.source_sha256";
  /** {@code metadata_props} key: the rnnx version that made the variant. */
  public static final String KEY_RNNX_VERSION = "rnnx.variant.rnnx_version";

  /**
   * A variant and what made it.
   *
   * @param model the checked variant
   * @param variant which one
   * @param scheme the transformation in words (also in {@link #KEY_SCHEME})
   * @param sourceWeightBytes stored initializer bytes of the source
   * @param weightBytes stored initializer bytes of the variant
   */
  public record Variant(OnnxMl.ModelProto model, ModelVariant variant, String scheme, long sourceWeightBytes,
      long weightBytes) {

    /** Variant weight bytes over source weight bytes. */
    public double weightRatio() {
      return sourceWeightBytes == 0 ? 1 : (double) weightBytes / sourceWeightBytes;
    }
  }

  /**
   * Options of a transformation.
   *
   * @param reduceRange int8 weights in ±63 instead of ±127, for x86 CPUs without VNNI (whose u8·s8
   *     multiply-add instructions saturate); ignored by {@link ModelVariant#FP16}
   */
  public record Options(boolean reduceRange) {
    /** Full-range int8. */
    public static final Options DEFAULT = new Options(false);
  }

  private ModelVariants() {}

  /** {@link #transform(OnnxMl.ModelProto, ModelVariant, Options, String)} with default options and no source name. */
  public static Variant transform(OnnxMl.ModelProto source, ModelVariant variant) {
    return transform(source, variant, Options.DEFAULT, null);
  }

  /**
   * Makes one variant of a float32 model.
   *
   * @param sourceName the source file's name for the provenance, or null
   * @throws IllegalArgumentException when the source is already a variant, or holds no float32
   *     initializer to transform
   * @throws OnnxExportException when the scheme cannot be expressed at the model's opset (int8 needs
   *     13) or the result fails validation
   */
  public static Variant transform(OnnxMl.ModelProto source, ModelVariant variant, Options options, String sourceName) {
    for (OnnxMl.StringStringEntryProto e : source.getMetadataPropsList()) {
      if (e.getKey().equals(KEY_VARIANT)) {
        throw new IllegalArgumentException("the model is already an rnnx " + e.getValue() + " variant; transform the"
            + " float32 model it came from");
      }
    }
    int opset = opset(source);
    String scheme;
    OnnxMl.GraphProto graph;
    if (variant == ModelVariant.FP16) {
      Float16Weights.Result r = Float16Weights.apply(source.getGraph());
      if (r.summary().converted() == 0) {
        throw new IllegalArgumentException("the model has no float32 initializer of " + Float16Weights.MIN_ELEMENTS
            + " elements or more to store as float16");
      }
      scheme = r.summary().describe();
      graph = r.graph();
    } else {
      DynamicInt8Quantizer.Result r = DynamicInt8Quantizer.apply(source.getGraph(), opset, options.reduceRange());
      if (r.summary().int8Values() == 0) {
        throw new IllegalArgumentException("the model has no MatMul/Gemm weight, recurrent weight or embedding table to"
            + " quantise");
      }
      scheme = r.summary().describe();
      graph = r.graph();
    }
    Map<String, String> added = new LinkedHashMap<>();
    added.put(KEY_VARIANT, variant.id());
    added.put(KEY_PRECISION, variant == ModelVariant.FP16 ? "fp16" : "fp32");
    added.put(KEY_QUANTIZATION, variant == ModelVariant.INT8 ? "dynamic-int8" : "none");
    added.put(KEY_SCHEME, scheme);
    if (sourceName != null) {
      added.put(KEY_SOURCE, sourceName);
    }
    added.put(KEY_SOURCE_SHA256, sha256(source.toByteArray()));
    added.put(KEY_RNNX_VERSION, Provenance.libraryVersions().getOrDefault("rnnx", "unknown"));
    OnnxMl.ModelProto.Builder m = source.toBuilder().setGraph(graph)
        .setDocString((source.getDocString().isEmpty() ? "" : source.getDocString() + "; ") + variant.id() + " variant: "
            + scheme);
    added.forEach((k, v) -> m.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    OnnxMl.ModelProto model = m.build();
    try {
      OnnxExporter.validate(model);
    } catch (OnnxCheckException e) {
      throw new OnnxExportException("the " + variant.id() + " variant fails the "
          + (opset <= OpsetTable.load().checkerMaxOpset() ? "ONNX checker" : "reference evaluator's check") + ": "
          + e.checkerMessage(), e);
    }
    return new Variant(model, variant, scheme, GraphScan.initializerBytes(source.getGraph()),
        GraphScan.initializerBytes(graph));
  }

  /**
   * Writes a variant atomically after validating it again ({@link OnnxExporter#write}).
   *
   * @throws IOException when the file cannot be written
   */
  public static void write(Variant variant, Path file) throws IOException {
    OnnxExporter.write(variant.model(), file);
  }

  /** The variant a model declares in its metadata, or null for a float32 model. */
  public static ModelVariant variantOf(OnnxMl.ModelProto model) {
    for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
      if (e.getKey().equals(KEY_VARIANT)) {
        return ModelVariant.parse(e.getValue());
      }
    }
    return null;
  }

  /** Stored initializer bytes of a model, bodies included. */
  public static long weightBytes(OnnxMl.ModelProto model) {
    return GraphScan.initializerBytes(model.getGraph());
  }

  /** Hex SHA-256 of bytes. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static int opset(OnnxMl.ModelProto model) {
    return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
        .mapToInt(o -> (int) o.getVersion()).findFirst().orElse(1);
  }
}

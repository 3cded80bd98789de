package dev.rnnx.imports.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.imports.ImportException;
import dev.rnnx.imports.ImportSource;
import dev.rnnx.imports.ImportedModel;
import dev.rnnx.imports.ModelImporter;
import dev.rnnx.onnx.OnnxModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Reads the RNN-family ONNX graphs that {@code torch.onnx} (opsets 13–17), tf2onnx and rnnx write
 * into a {@link dev.rnnx.spec.Sequential} with canonical (Keras-layout) weights: {@code LSTM},
 * {@code GRU} and {@code RNN} nodes (one- or bidirectional, time-major or behind batch-first
 * transposes, with an int32 lengths input as {@code sequence_lens} and zero initial states), an
 * embedding ({@code Gather}), dense layers ({@code Gemm}, {@code MatMul} + {@code Add}) with their
 * activation, and {@code LayerNormalization}. The graph is matched by the kinds of values each node
 * reads ({@link GraphLifter}), never by node names. Anything else is refused with an
 * {@link ImportException} naming the file and the node and listing what is supported.
 */
public final class OnnxImporter implements ModelImporter {

  /** The format recorded in the provenance. */
  public static final String FORMAT = "onnx";

  @Override
  public boolean accepts(Path file) {
    return file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx");
  }

  @Override
  public ImportedModel read(Path file) {
    OnnxMl.ModelProto model;
    try {
      model = OnnxModels.read(file);
    } catch (IllegalArgumentException e) {
      throw new ImportException(e.getMessage(), e);
    }
    try {
      OnnxGraph g = new OnnxGraph(file, LayerNormRewrite.rewrite(model.getGraph()));
      List<OnnxMl.ValueInfoProto> inputs = g.inputs();
      if (inputs.isEmpty()) {
        throw g.error("has no inputs; supported: one sequence input, optionally an int32 lengths input and initial states");
      }
      OnnxMl.ValueInfoProto main = inputs.get(0);
      OnnxMl.TypeProto.Tensor type = main.getType().getTensorType();
      int elem = type.getElemType();
      boolean tokens = elem == OnnxMl.TensorProto.DataType.INT64_VALUE || elem == OnnxMl.TensorProto.DataType.INT32_VALUE;
      int rank = type.getShape().getDimCount();
      if (tokens ? rank != 2 : rank != 3 || elem != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        throw g.error("input '" + main.getName() + "' has element type " + elem + " and rank " + rank
            + "; supported: float32 [batch, time, features] or int64 token ids [batch, time] (either axis order)");
      }
      int features = !tokens && type.getShape().getDim(2).hasDimValue() ? (int) type.getShape().getDim(2).getDimValue() : 0;
      String lengths = null;
      Map<String, Integer> states = new LinkedHashMap<>();
      for (OnnxMl.ValueInfoProto other : inputs.subList(1, inputs.size())) {
        OnnxMl.TypeProto.Tensor t = other.getType().getTensorType();
        int r = t.getShape().getDimCount();
        if (t.getElemType() == OnnxMl.TensorProto.DataType.INT32_VALUE && r == 1 && lengths == null) {
          lengths = other.getName();
        } else if (t.getElemType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE && r == 3
            && !(t.getShape().getDim(0).hasDimValue() && t.getShape().getDim(0).getDimValue() == 1)) {
          throw g.error("input '" + other.getName() + "' is a second float sequence (rank 3, first axis not 1);"
              + " supported: one sequence input, optionally an int32 lengths input [batch] and initial states ([batch,"
              + " H], or PyTorch's [1, batch, H])");
        } else if (t.getElemType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE && (r == 2 || r == 3)) {
          states.put(other.getName(), r);
        } else {
          throw g.error("input '" + other.getName() + "' is neither an int32 vector of lengths nor a float initial state;"
              + " supported: one sequence input, optionally an int32 lengths input [batch] and initial states");
        }
      }
      GraphLifter lifter = new GraphLifter(g);
      lifter.start(main.getName(), tokens ? 2 : 3, features, tokens, lengths, states);
      lifter.walk();
      SequentialAssembly.Result r = SequentialAssembly.assemble(g, lifter, main, tokens, features, lengths, states,
          modelName(file));
      if (lifter.hasAttention) {
        NumericCheck.check(file, model, main.getName(), g.outputs().get(0).getName(), r.model(), r.weights(),
            Boolean.TRUE.equals(lifter.inputTimeMajor), "the attention or Transformer encoder block");
      }
      ImportSource source = new ImportSource(file, sha256(file), FORMAT, framework(model.getProducerName()),
          model.getProducerVersion());
      return new ImportedModel(r.model(), r.weights(), source, r.notes());
    } catch (ImportException e) {
      throw e;
    } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
      throw new ImportException(file + ": " + e.getMessage(), e);
    }
  }

  private static String framework(String producer) {
    String p = producer == null ? "" : producer.toLowerCase(Locale.ROOT);
    return p.isEmpty() ? "unknown" : p;
  }

  private static String modelName(Path file) {
    String n = file.getFileName().toString().replaceAll("(?i)\\.onnx$", "").replaceAll("[^A-Za-z0-9_\\-]", "_");
    if (n.equals("model") && file.toAbsolutePath().getParent() != null
        && file.toAbsolutePath().getParent().getFileName() != null) {
      n = file.toAbsolutePath().getParent().getFileName().toString().replaceAll("[^A-Za-z0-9_\\-]", "_");
    }
    return n.matches("[A-Za-z].*") ? n : "imported_" + n;
  }

  private static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new ImportException(file + ": cannot be read (" + e.getMessage() + ")", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

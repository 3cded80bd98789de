package dev.rnnx.djl;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.Sequential;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The serving interface of a SavedModel folder, read from {@code saved_model.pb} with TensorFlow
 * Java's protobuf classes (pure Java, no native library), so a folder that is not a SavedModel, or
 * has no {@value #SIGNATURE} signature under the {@value #TAG} tag, is rejected before TensorFlow
 * starts. (DJL's TensorFlow engine would silently fall back to another signature.)
 *
 * <p>Only {@link DjlModel#loadSavedModel} reaches this class: it loads {@code org.tensorflow}
 * classes.
 *
 * <p>A signature names no axes: a dynamic one is free, except in rnnx's own naming (an input
 * called {@code input}), where axis 0 of every input is {@code batch}, axis 1 of {@code input} is
 * {@code time} and {@code lengths} holds lengths along {@code time}, as the model's spec would say.
 *
 * @param dir the SavedModel folder
 * @param inputs the signature's inputs sorted by key (the order DJL feeds them)
 * @param outputs the signature's output keys, sorted (the order DJL returns them)
 */
record SavedModelArtifact(Path dir, InputContract inputs, List<String> outputs) {

  /** The meta-graph tag rnnx serves. */
  static final String TAG = "serve";

  /** The signature rnnx serves. */
  static final String SIGNATURE = "serving_default";

  /** The protobuf file DJL's TensorFlow engine loads. */
  static final String PB = "saved_model.pb";

  /** The checkpoint index a SavedModel with variables must hold. */
  static final String VARIABLES_INDEX = "variables/variables.index";

  private static final Set<String> VARIABLE_OPS = Set.of("VarHandleOp", "VariableV2", "Variable");

  SavedModelArtifact {
    outputs = List.copyOf(outputs);
  }

  /**
   * Reads the {@value #SIGNATURE} signature of the {@value #TAG} meta-graph.
   *
   * @throws IllegalArgumentException if the folder is missing, has no {@value #PB}, the file is not
   *     a SavedModel, or the tag or signature is missing
   */
  static SavedModelArtifact read(Path dir) {
    return read(dir, SIGNATURE);
  }

  /** Reads a named signature of the {@value #TAG} meta-graph; see {@link #read(Path)}. */
  static SavedModelArtifact read(Path dir, String signatureKey) {
    if (dir == null) {
      throw new IllegalArgumentException("SavedModel path is null");
    }
    if (!Files.exists(dir)) {
      throw new IllegalArgumentException("SavedModel folder " + dir + " does not exist");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "SavedModel path " + dir + " is not a folder; expected a SavedModel folder holding " + PB);
    }
    Path pb = dir.resolve(PB);
    if (!Files.isRegularFile(pb)) {
      throw new IllegalArgumentException(
          "folder " + dir + " is not a SavedModel: expected a file " + PB + " in it");
    }
    SavedModel savedModel;
    try (InputStream in = Files.newInputStream(pb)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      savedModel = SavedModel.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          pb + " is not a SavedModel protobuf (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pb, e);
    }
    if (savedModel.getMetaGraphsCount() == 0) {
      throw new IllegalArgumentException(pb + " is not a SavedModel: it holds no meta-graph");
    }
    MetaGraphDef metaGraph = null;
    List<List<String>> tagSets = new ArrayList<>();
    for (MetaGraphDef m : savedModel.getMetaGraphsList()) {
      List<String> tags = List.copyOf(m.getMetaInfoDef().getTagsList());
      tagSets.add(tags);
      if (metaGraph == null && tags.contains(TAG)) {
        metaGraph = m;
      }
    }
    if (metaGraph == null) {
      throw new IllegalArgumentException(
          "SavedModel " + dir + " has no meta-graph tagged '" + TAG + "'; its tag sets are " + tagSets);
    }
    SignatureDef signature = metaGraph.getSignatureDefMap().get(signatureKey);
    if (signature == null) {
      throw new IllegalArgumentException(
          "SavedModel " + dir + " has no '" + signatureKey + "' signature under tag '" + TAG
              + "'; its signatures are " + new TreeMap<>(metaGraph.getSignatureDefMap()).keySet());
    }
    Path index = dir.resolve(VARIABLES_INDEX);
    boolean hasVariables =
        metaGraph.getGraphDef().getNodeList().stream().anyMatch(n -> VARIABLE_OPS.contains(n.getOp()));
    if (hasVariables && !Files.isRegularFile(index)) {
      // TensorFlow itself loads such a folder and only fails at the first run
      throw new IllegalArgumentException(
          "SavedModel " + dir + " declares variables but has no checkpoint: expected " + index);
    }
    if (signature.getOutputsCount() == 0) {
      throw new IllegalArgumentException(
          "SavedModel " + dir + ": signature '" + signatureKey + "' declares no outputs");
    }
    return new SavedModelArtifact(dir, contract(signature.getInputsMap()),
        List.copyOf(new TreeMap<>(signature.getOutputsMap()).keySet()));
  }

  private static InputContract contract(Map<String, TensorInfo> byKey) {
    boolean rnnxNames = byKey.containsKey(Sequential.INPUT);
    List<InputContract.Input> out = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> e : new TreeMap<>(byKey).entrySet()) {
      TensorInfo info = e.getValue();
      List<InputContract.Axis> axes = null;
      if (info.hasTensorShape() && !info.getTensorShape().getUnknownRank()) {
        axes = new ArrayList<>();
        List<TensorShapeProto.Dim> list = info.getTensorShape().getDimList();
        for (int i = 0; i < list.size(); i++) {
          long size = list.get(i).getSize();
          String symbol = !rnnxNames ? null : i == 0 ? "batch" : i == 1 && e.getKey().equals(Sequential.INPUT) ? "time" : null;
          axes.add(size >= 0 ? InputContract.Axis.fixed(size) : new InputContract.Axis(-1, symbol));
        }
      }
      List<InputContract.Rule> rules = rnnxNames && e.getKey().equals(Sequential.LENGTHS)
          ? List.of(new InputContract.Lengths("time")) : List.of();
      out.add(new InputContract.Input(e.getKey(), elementType(info.getDtype()), axes, rules));
    }
    return new InputContract(out);
  }

  private static String elementType(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT -> "float32";
      case DT_HALF -> "float16";
      default -> {
        String name = dtype.name();
        yield (name.startsWith("DT_") ? name.substring(3) : name).toLowerCase(Locale.ROOT);
      }
    };
  }
}

package dev.rnnx.djl;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The interface of an ONNX file, read from its protobuf in pure Java (no native code), so a file
 * that is not an ONNX model is rejected with a clear message before ONNX Runtime sees it.
 *
 * @param file the model file
 * @param inputs the graph inputs that are not initializers, in graph order
 * @param outputs the graph outputs, in graph order
 */
record OnnxArtifact(Path file, List<TensorSignature> inputs, List<TensorSignature> outputs) {

  OnnxArtifact {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * Reads the interface of an ONNX model file.
   *
   * @throws IllegalArgumentException if the path is missing, a folder, or not an ONNX model
   */
  static OnnxArtifact read(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("ONNX model path is null");
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("ONNX model file " + file + " does not exist; expected an .onnx file");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("ONNX model path " + file + " is not a regular file; expected an .onnx file");
    }
    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      model = OnnxMl.ModelProto.parseFrom(coded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          file + " is not an ONNX model (not a ModelProto protobuf: " + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model file " + file, e);
    }
    if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getOutputCount() == 0) {
      throw new IllegalArgumentException(
          file + " is not an ONNX model: expected a ModelProto with an ir_version and a graph with outputs");
    }
    OnnxMl.GraphProto graph = model.getGraph();
    Set<String> initializers = new HashSet<>();
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      initializers.add(t.getName());
    }
    List<TensorSignature> inputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
      if (!initializers.contains(v.getName())) {
        inputs.add(signature(v));
      }
    }
    List<TensorSignature> outputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
      outputs.add(signature(v));
    }
    return new OnnxArtifact(file, inputs, outputs);
  }

  private static TensorSignature signature(OnnxMl.ValueInfoProto v) {
    if (!v.hasType() || !v.getType().hasTensorType()) {
      return new TensorSignature(v.getName(), null, "non-tensor");
    }
    OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
    String type = elementType(t.getElemType());
    if (!t.hasShape()) {
      return new TensorSignature(v.getName(), null, type);
    }
    List<OnnxMl.TensorShapeProto.Dimension> dims = t.getShape().getDimList();
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
    }
    return new TensorSignature(v.getName(), shape, type);
  }

  private static String elementType(int code) {
    if (code == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
      return TensorSignature.FLOAT32;
    }
    OnnxMl.TensorProto.DataType dt = OnnxMl.TensorProto.DataType.forNumber(code);
    return dt == null ? "type#" + code : dt.name().toLowerCase(Locale.ROOT);
  }
}

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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    List<TensorSignature> inputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
      if (!initializers.containsKey(v.getName())) {
        inputs.add(withIndexLimit(signature(v), graph, initializers));
      }
    }
    List<TensorSignature> outputs = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
      outputs.add(signature(v));
    }
    return new OnnxArtifact(file, inputs, outputs);
  }

  /**
   * An integer graph input that a {@code Gather} reads as indices into an initializer along axis 0
   * (an embedding lookup) may only hold row numbers of that table. Negative indices, which Gather
   * reads from the end, are refused as well: rnnx ids are never negative.
   */
  private static TensorSignature withIndexLimit(TensorSignature s, OnnxMl.GraphProto graph,
      Map<String, OnnxMl.TensorProto> initializers) {
    if (!s.isInteger()) {
      return s;
    }
    for (OnnxMl.NodeProto n : graph.getNodeList()) {
      if (!n.getOpType().equals("Gather") || !n.getDomain().isEmpty() || n.getInputCount() < 2
          || !n.getInput(1).equals(s.name())) {
        continue;
      }
      OnnxMl.TensorProto table = initializers.get(n.getInput(0));
      long axis = n.getAttributeList().stream().filter(a -> a.getName().equals("axis")).mapToLong(OnnxMl.AttributeProto::getI)
          .findFirst().orElse(0);
      if (table != null && table.getDimsCount() > 0 && (axis == 0 || axis == -table.getDimsCount())) {
        return s.withIndexLimit(table.getDims(0), table.getName());
      }
    }
    return s;
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
    String[] names = new String[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i).hasDimValue() ? dims.get(i).getDimValue() : -1;
      names[i] = dims.get(i).hasDimParam() && !dims.get(i).getDimParam().isEmpty() ? dims.get(i).getDimParam() : null;
    }
    return new TensorSignature(v.getName(), shape, names, type, -1, null);
  }

  private static String elementType(int code) {
    if (code == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
      return TensorSignature.FLOAT32;
    }
    OnnxMl.TensorProto.DataType dt = OnnxMl.TensorProto.DataType.forNumber(code);
    return dt == null ? "type#" + code : dt.name().toLowerCase(Locale.ROOT);
  }
}

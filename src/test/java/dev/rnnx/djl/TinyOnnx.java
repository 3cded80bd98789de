package dev.rnnx.djl;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link TinyMath}'s model as an ONNX file with the ONNX protos (no TensorFlow): input
 * {@code input} float {@code [batch, time, 3]}, MatMul with a constant {@code [3, 2]}, Add, Tanh
 * to {@code output}, and Identity of the pre-activation to {@code state_h}.
 */
public final class TinyOnnx {

  private TinyOnnx() {}

  /**
   * Writes the model.
   *
   * @param stateFirst declare {@code state_h} before {@code output} in the graph outputs
   */
  public static Path write(Path file, boolean stateFirst) throws IOException {
    List<Float> w = new ArrayList<>();
    for (float[] row : TinyMath.W) {
      for (float v : row) {
        w.add(v);
      }
    }
    List<Float> b = new ArrayList<>();
    for (float v : TinyMath.B) {
      b.add(v);
    }
    OnnxMl.GraphProto.Builder graph =
        OnnxMl.GraphProto.newBuilder()
            .setName("tiny")
            .addInitializer(
                OnnxMl.TensorProto.newBuilder()
                    .setName("W")
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                    .addDims(TinyMath.IN)
                    .addDims(TinyMath.OUT)
                    .addAllFloatData(w))
            .addInitializer(
                OnnxMl.TensorProto.newBuilder()
                    .setName("b")
                    .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                    .addDims(TinyMath.OUT)
                    .addAllFloatData(b))
            .addNode(node("MatMul", "matmul", List.of("input", "W"), "mm"))
            .addNode(node("Add", "add", List.of("mm", "b"), "pre"))
            .addNode(node("Tanh", "tanh", List.of("pre"), "output"))
            .addNode(node("Identity", "identity", List.of("pre"), "state_h"))
            .addInput(value("input", TinyMath.IN));
    if (stateFirst) {
      graph.addOutput(value("state_h", TinyMath.OUT)).addOutput(value("output", TinyMath.OUT));
    } else {
      graph.addOutput(value("output", TinyMath.OUT)).addOutput(value("state_h", TinyMath.OUT));
    }
    OnnxMl.ModelProto model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(8)
            .setProducerName("rnnx-test")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
            .setGraph(graph)
            .build();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, model.toByteArray());
    return file;
  }

  private static OnnxMl.NodeProto node(String op, String name, List<String> in, String out) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out).build();
  }

  private static OnnxMl.ValueInfoProto value(String name, int last) {
    OnnxMl.TensorShapeProto shape =
        OnnxMl.TensorShapeProto.newBuilder()
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("time"))
            .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(last))
            .build();
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }
}

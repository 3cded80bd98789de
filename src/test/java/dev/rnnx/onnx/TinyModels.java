package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Shape;

/** Hand-built one-node models for checker and file tests. */
final class TinyModels {

  private TinyModels() {}

  /** {@code y = Relu(x)}, x and y float {@code [batch, 3]}, opset 17, IR 8. */
  static OnnxMl.ModelProto.Builder relu() {
    return OnnxMl.ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(OnnxMl.GraphProto.newBuilder().setName("tiny")
            .addInput(ValueInfos.valueInfo("x", Shape.of(Shape.DYNAMIC, 3)))
            .addNode(OnnxMl.NodeProto.newBuilder().setName("relu").setOpType("Relu").addInput("x").addOutput("y"))
            .addOutput(ValueInfos.valueInfo("y", Shape.of(Shape.DYNAMIC, 3))));
  }
}

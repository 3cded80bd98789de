package dev.rnnx.ref;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.ref.onnx.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hand-built ONNX graph of a few standard ops, run on the pure-Java {@link OnnxEvaluator}. */
final class TinyGraph {

  private final int opset;
  private final List<NodeProto> nodes = new ArrayList<>();
  private final GraphProto.Builder graph = GraphProto.newBuilder().setName("tiny");
  private final Map<String, Value> feeds = new LinkedHashMap<>();
  private int counter;

  TinyGraph(int opset) {
    this.opset = opset;
  }

  /** A graph input fed with {@code v}. */
  String input(String name, Value v) {
    feeds.put(name, v);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : v.shape()) {
      shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(v.type().onnxCode()).setShape(shape))));
    return name;
  }

  /** An initializer. */
  String constant(Value v) {
    String name = "c" + counter++;
    graph.addInitializer(TensorProtos.encode(v, name));
    return name;
  }

  /** A node with one output. */
  String op(String type, List<String> inputs, AttributeProto... attrs) {
    String out = type.toLowerCase() + counter++;
    nodes.add(NodeProto.newBuilder().setOpType(type).addAllInput(inputs).addOutput(out).addAllAttribute(List.of(attrs)).build());
    return out;
  }

  /** A node with two outputs, named {@code <name>:0} and {@code <name>:1}; returns the name. */
  String op2(String type, List<String> inputs, AttributeProto... attrs) {
    String out = type.toLowerCase() + counter++;
    nodes.add(NodeProto.newBuilder().setOpType(type).addAllInput(inputs).addOutput(out + ":0").addOutput(out + ":1")
        .addAllAttribute(List.of(attrs)).build());
    return out;
  }

  /** The outputs of a multi-output node, by position. */
  record Outputs(List<Value> values) {
    Value get(int i) {
      return values.get(i);
    }
  }

  /** Runs the graph and returns every output of the nodes named by {@link #op2}. */
  Outputs runAll(List<String> twoOutputNodes) {
    List<String> names = new ArrayList<>();
    for (String n : twoOutputNodes) {
      names.add(n + ":0");
      names.add(n + ":1");
    }
    graph.addAllNode(nodes);
    names.forEach(n -> graph.addOutput(ValueInfoProto.newBuilder().setName(n)));
    ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("rnnx-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    Map<String, Value> out = new OnnxEvaluator(model).run(feeds);
    return new Outputs(names.stream().map(out::get).toList());
  }

  static AttributeProto intAttr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto floatAttr(String name, float v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static AttributeProto intsAttr(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  /** Runs the graph and returns {@code output}. */
  Value run(String output) {
    graph.addAllNode(nodes);
    graph.addOutput(ValueInfoProto.newBuilder().setName(output));
    ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("rnnx-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph).build();
    return new OnnxEvaluator(model).run(feeds).get(output);
  }
}

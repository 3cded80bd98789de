package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Small ONNX models built with the {@code OnnxMl} builders, for the tests. */
final class TestModels {

  private TestModels() {}

  static NodeProto node(String op, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    return NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "0").addAllInput(inputs)
        .addAllOutput(outputs).addAllAttribute(Arrays.asList(attrs)).build();
  }

  static AttributeProto attr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  static AttributeProto attr(String name, double v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) v)
        .build();
  }

  static AttributeProto attr(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v)).build();
  }

  static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  static AttributeProto floats(String name, double... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
    for (double x : v) {
      b.addFloats((float) x);
    }
    return b.build();
  }

  static AttributeProto strings(String name, String... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
        .setType(AttributeProto.AttributeType.STRINGS);
    for (String x : v) {
      b.addStrings(ByteString.copyFromUtf8(x));
    }
    return b.build();
  }

  /** A tensor value-info; a null shape leaves the shape unknown. */
  static ValueInfoProto info(String name, DataType type, long... shape) {
    TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(type.onnxCode());
    if (shape != null) {
      TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
      for (long d : shape) {
        s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      t.setShape(s);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
  }

  /** An output of the given element type and unknown shape. */
  static ValueInfoProto out(String name, DataType type) {
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()))).build();
  }

  static ModelProto model(int opset, List<NodeProto> nodes, List<ValueInfoProto> inputs,
      List<ValueInfoProto> outputs, List<TensorProto> initializers) {
    GraphProto g = GraphProto.newBuilder().setName("test").addAllNode(nodes).addAllInput(inputs)
        .addAllOutput(outputs).addAllInitializer(initializers).build();
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("rnnx-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
  }

  /** Uniform values in [-scale, scale], rounded to float32 so that float backends see the same numbers. */
  static Value random(Random rnd, double scale, long... shape) {
    float[] f = new float[Shapes.size(shape)];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }
    return Value.ofFloats(shape, f);
  }
}

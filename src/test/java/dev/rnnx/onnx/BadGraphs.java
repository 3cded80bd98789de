package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-built small graphs, valid by default, for the kernel-assumption rules' tests. */
final class BadGraphs {

  static final int FLOAT = 1;
  static final int INT32 = 6;
  static final int INT64 = 7;

  private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
  private final List<OnnxMl.TensorProto> inits = new ArrayList<>();
  private final List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>();
  private final List<String> outputs = new ArrayList<>();
  private long opset = 17;

  BadGraphs opset(long v) {
    opset = v;
    return this;
  }

  /** A graph input; a dim of -1 is symbolic. */
  BadGraphs input(String name, int type, long... dims) {
    OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : dims) {
      s.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("d" + s.getDimCount())
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    inputs.add(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build());
    return this;
  }

  /** A zero initializer stored as raw data of exactly its size. */
  BadGraphs init(String name, int type, long... dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    int bytes = type == INT64 || type == 11 ? 8 : type == 10 ? 2 : 4;
    return init(tensor(name, type, dims).setRawData(ByteString.copyFrom(new byte[(int) (n * bytes)])).build());
  }

  BadGraphs init(OnnxMl.TensorProto t) {
    inits.add(t);
    return this;
  }

  /** An int64 initializer with these values. */
  BadGraphs longs(String name, long... values) {
    OnnxMl.TensorProto.Builder t = tensor(name, INT64, values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return init(t.build());
  }

  BadGraphs node(OnnxMl.NodeProto n) {
    nodes.add(n);
    outputs.add(n.getOutput(0));
    return this;
  }

  static OnnxMl.TensorProto.Builder tensor(String name, int type, long... dims) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type);
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  static OnnxMl.NodeProto node(String op, String name, List<String> in, List<String> out, OnnxMl.AttributeProto... attrs) {
    return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out)
        .addAllAttribute(Arrays.asList(attrs)).build();
  }

  static OnnxMl.AttributeProto i(String name, long v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
  }

  static OnnxMl.AttributeProto f(String name, float v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
  }

  static OnnxMl.AttributeProto s(String name, String v) {
    return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v)).build();
  }

  static OnnxMl.AttributeProto ints(String name, long... v) {
    OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  static OnnxMl.AttributeProto floats(String name, float... v) {
    OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
    for (float x : v) {
      b.addFloats(x);
    }
    return b.build();
  }

  static OnnxMl.AttributeProto strings(String name, String... v) {
    OnnxMl.AttributeProto.Builder b = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
    for (String x : v) {
      b.addStrings(ByteString.copyFromUtf8(x));
    }
    return b.build();
  }

  OnnxMl.ModelProto build() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("g").addAllNode(nodes).addAllInitializer(inits)
        .addAllInput(inputs);
    for (String o : outputs) {
      g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(o).setType(OnnxMl.TypeProto.newBuilder()
          .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(FLOAT))));
    }
    return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
  }

  /**
   * A valid LSTM: X [T?, B?, 3], hidden 2, one direction, W/R/B initializers, plus the given
   * extra attributes; {@code inputs} overrides the node's input names (default X, W, R, B).
   */
  static BadGraphs lstm(List<String> inputs, OnnxMl.AttributeProto... attrs) {
    List<OnnxMl.AttributeProto> all = new ArrayList<>(List.of(i("hidden_size", 2)));
    all.addAll(Arrays.asList(attrs));
    return new BadGraphs().input("X", FLOAT, -1, -1, 3)
        .node(node("LSTM", "lstm", inputs == null ? List.of("X", "W", "R", "B") : inputs, List.of("Y"),
            all.toArray(OnnxMl.AttributeProto[]::new)));
  }
}

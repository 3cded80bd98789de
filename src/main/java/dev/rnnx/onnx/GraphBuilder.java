package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the nodes and initializers of one ONNX graph while converters add to it. Every op goes
 * through {@link #node}, which refuses ops that {@code converters/opsets.yaml} does not list or
 * that do not exist at the target opset; ops whose signature changed between opsets (Squeeze,
 * Unsqueeze, Softmax) get the form of the target opset here, so converters stay opset-agnostic.
 *
 * <p>It also knows the model's {@code lengths} input, if any: every recurrent node reads it as its
 * int32 {@code sequence_lens}, and {@link #lengthsInt64()} casts it once for {@code ReverseSequence}.
 */
final class GraphBuilder {

  private final int opset;
  private final OpsetTable opsets;
  private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
  private final Set<String> tensorNames = new HashSet<>();
  private final Set<String> nodeNames = new HashSet<>();
  private String lengths;
  private String lengthsInt64;

  GraphBuilder(String name, int opset, OpsetTable opsets) {
    this.opset = opset;
    this.opsets = opsets;
    graph.setName(name);
  }

  /** The target opset. */
  int opset() {
    return opset;
  }

  /** The version of an op in effect at the target opset (see {@link OpsetTable#opVersion}). */
  int opVersion(String op) {
    return opsets.opVersion(op, opset);
  }

  /** Declares the int32 {@code [batch]} graph input that holds every sequence's length. */
  void lengths(String name) {
    lengths = name;
  }

  /** The int32 lengths input, or {@code null} when the model has none. */
  String lengths() {
    return lengths;
  }

  /** The lengths as int64 ({@code ReverseSequence}'s type), cast once per graph. */
  String lengthsInt64() {
    if (lengths == null) {
      throw new IllegalStateException("graph '" + graph.getName() + "' has no lengths input");
    }
    if (lengthsInt64 == null) {
      lengthsInt64 = lengths + "/int64";
      node("Cast", lengths + "/Cast", List.of(lengths), List.of(lengthsInt64),
          integer("to", OnnxMl.TensorProto.DataType.INT64.getNumber()));
    }
    return lengthsInt64;
  }

  /** The graph being built; the exporter adds inputs and outputs to it. */
  OnnxMl.GraphProto.Builder graph() {
    return graph;
  }

  /** Reserves a tensor name; the name must be new. */
  String claim(String name) {
    if (!tensorNames.add(name)) {
      throw new IllegalStateException("tensor name '" + name + "' is used twice in graph '" + graph.getName() + "'");
    }
    return name;
  }

  /** Adds a float initializer named {@code name}, stored little-endian in {@code raw_data}. */
  String initializer(String name, FloatTensor value) {
    ByteBuffer buf = ByteBuffer.allocate(4 * value.size()).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(value.data());
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .setRawData(ByteString.copyFrom(buf.array()));
    for (long d : value.shape()) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Adds a 1-D int64 initializer, such as Squeeze's axes. */
  String int64Initializer(String name, long... values) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Adds a 0-d int64 initializer, such as Gather's index. */
  String int64Scalar(String name, long value) {
    graph.addInitializer(OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .addInt64Data(value));
    return name;
  }

  /** Adds a 0-d float initializer, such as a scale factor. */
  String floatScalar(String name, float value) {
    graph.addInitializer(OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .addFloatData(value));
    return name;
  }

  /**
   * Adds a node. An empty string in {@code inputs} or {@code outputs} leaves an optional slot
   * unused; every other output name is claimed.
   *
   * @throws OnnxExportException when the op is not available at the target opset
   */
  void node(String opType, String name, List<String> inputs, List<String> outputs, OnnxMl.AttributeProto... attributes) {
    opVersion(opType);
    if (!nodeNames.add(name)) {
      throw new IllegalStateException("node name '" + name + "' is used twice in graph '" + graph.getName() + "'");
    }
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs);
    for (String out : outputs) {
      n.addOutput(out.isEmpty() ? out : claim(out));
    }
    for (OnnxMl.AttributeProto a : attributes) {
      n.addAttribute(a);
    }
    graph.addNode(n);
  }

  /** {@code Transpose} with a permutation. */
  void transpose(String name, String input, String output, long... perm) {
    node("Transpose", name, List.of(input), List.of(output), ints("perm", perm));
  }

  /** {@code Squeeze} of one axis: an attribute before Squeeze-13, an int64 input from it. */
  void squeeze(String name, String input, String output, long axis) {
    if (opVersion("Squeeze") >= 13) {
      String axes = int64Initializer(name + "/axes", axis);
      node("Squeeze", name, List.of(input, axes), List.of(output));
    } else {
      node("Squeeze", name, List.of(input), List.of(output), ints("axes", axis));
    }
  }

  /** {@code Unsqueeze} of one axis: an attribute before Unsqueeze-13, an int64 input from it. */
  void unsqueeze(String name, String input, String output, long axis) {
    if (opVersion("Unsqueeze") >= 13) {
      String axes = int64Initializer(name + "/axes", axis);
      node("Unsqueeze", name, List.of(input, axes), List.of(output));
    } else {
      node("Unsqueeze", name, List.of(input), List.of(output), ints("axes", axis));
    }
  }

  /** {@code Gather} of one index along an axis: drops that axis, e.g. one direction of {@code Y_h}. */
  void pick(String name, String input, String output, long axis, long index) {
    String i = int64Scalar(name + "/index", index);
    node("Gather", name, List.of(input, i), List.of(output), integer("axis", axis));
  }

  /**
   * {@code Softmax} over the last axis of a rank-{@code rank} tensor. Before Softmax-13 the op
   * flattens the input to 2-D at {@code axis} and normalises the rows; at the last axis that is the
   * same function, so the axis is written as {@code rank − 1} (a non-negative index every version reads).
   */
  void softmaxLastAxis(String name, String input, String output, int rank) {
    long axis = opVersion("Softmax") >= 13 ? -1 : rank - 1;
    node("Softmax", name, List.of(input), List.of(output), integer("axis", axis));
  }

  /** A float tensor's graph input/output description, with symbolic {@code batch} and {@code time} dims. */
  static OnnxMl.ValueInfoProto valueInfo(String name, Shape shape) {
    return valueInfo(name, shape, DType.FLOAT32);
  }

  /**
   * A tensor's graph input/output description. Dynamic dimensions get symbolic names by position:
   * {@code batch} first, {@code time} second, {@code dimN} after.
   */
  static OnnxMl.ValueInfoProto valueInfo(String name, Shape shape, DType dtype) {
    OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
    int[] d = shape.dims();
    for (int i = 0; i < d.length; i++) {
      OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
      if (d[i] == Shape.DYNAMIC) {
        dim.setDimParam(i == 0 ? "batch" : i == 1 ? "time" : "dim" + i);
      } else {
        dim.setDimValue(d[i]);
      }
      dims.addDim(dim);
    }
    OnnxMl.TypeProto type = OnnxMl.TypeProto.newBuilder()
        .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
            .setElemType(onnxType(dtype).getNumber())
            .setShape(dims))
        .build();
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }

  /** The ONNX element type of an rnnx dtype. */
  static OnnxMl.TensorProto.DataType onnxType(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> OnnxMl.TensorProto.DataType.FLOAT;
      case INT32 -> OnnxMl.TensorProto.DataType.INT32;
      case INT64 -> OnnxMl.TensorProto.DataType.INT64;
    };
  }

  /** A float-list attribute. */
  static OnnxMl.AttributeProto floats(String name, List<Float> values) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOATS).addAllFloats(values).build();
  }

  /** A float attribute. */
  static OnnxMl.AttributeProto real(String name, float value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  /** An integer-list attribute. */
  static OnnxMl.AttributeProto ints(String name, long... values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /** An integer attribute. */
  static OnnxMl.AttributeProto integer(String name, long value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** A string attribute. */
  static OnnxMl.AttributeProto string(String name, String value) {
    return OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(value)).build();
  }

  /** A string-list attribute. */
  static OnnxMl.AttributeProto strings(String name, List<String> values) {
    OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder()
        .setName(name).setType(OnnxMl.AttributeProto.AttributeType.STRINGS);
    for (String v : values) {
      a.addStrings(ByteString.copyFromUtf8(v));
    }
    return a.build();
  }
}

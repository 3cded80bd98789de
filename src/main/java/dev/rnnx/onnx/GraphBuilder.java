package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import dev.rnnx.spec.FloatTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the nodes and initializers of one ONNX graph while converters add to it. Every op goes
 * through {@link #node}, which refuses ops that {@code converters/opsets.yaml} does not list or
 * that do not exist at the target opset; ops whose signature changed between opsets (Squeeze,
 * Unsqueeze, Softmax, LogSoftmax, the reductions) get the form of the target opset here, so
 * converters stay opset-agnostic.
 *
 * <p>It also knows the model's {@code lengths} input, if any: every recurrent node reads it as its
 * int32 {@code sequence_lens}, and {@link #lengthsInt64()} casts it once for {@code ReverseSequence}.
 *
 * <p>A builder can open the body of a control-flow node ({@link #body}): the body shares the
 * model's namespace (every tensor and node name is unique across all graphs, which ONNX's
 * checker and ONNX Runtime both accept), and its initializers go to the main graph, whose values
 * a body may read by name.
 *
 * <p>Node attributes come from {@link Attributes}, input and output descriptions from
 * {@link ValueInfos}.
 */
final class GraphBuilder {

  private final int opset;
  private final OpsetTable opsets;
  private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
  private final GraphBuilder root;
  private final Set<String> tensorNames;
  private final Set<String> nodeNames;
  private String lengths;
  private final java.util.Map<String, String> lengthsInt64 = new java.util.HashMap<>();
  private TimeAxis time;
  private final java.util.Map<String, AttentionMask> selfMasks = new java.util.HashMap<>();
  private final Set<String> shared = new HashSet<>();

  GraphBuilder(String name, int opset, OpsetTable opsets) {
    this.opset = opset;
    this.opsets = opsets;
    this.root = null;
    this.tensorNames = new HashSet<>();
    this.nodeNames = new HashSet<>();
    graph.setName(name);
  }

  private GraphBuilder(GraphBuilder parent, String name) {
    this.opset = parent.opset;
    this.opsets = parent.opsets;
    this.root = parent.main();
    this.tensorNames = parent.tensorNames;
    this.nodeNames = parent.nodeNames;
    graph.setName(name);
  }

  /**
   * A new graph for the body of a control-flow node ({@code Loop}): names are shared with this
   * builder, initializers go to the main graph. The caller declares its inputs and outputs.
   */
  GraphBuilder body(String name) {
    return new GraphBuilder(this, name);
  }

  /** The main graph's builder (this one, unless this is a body). */
  private GraphBuilder main() {
    return root == null ? this : root;
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

  /** Declares the time axis of a sequential model's input (with its lengths, if any). */
  void time(TimeAxis axis) {
    time = axis;
  }

  /** The time axis of a sequential model's input. */
  TimeAxis time() {
    if (time == null) {
      throw new IllegalStateException("graph '" + graph.getName() + "' has no time axis");
    }
    return time;
  }

  /** The self-attention mask over {@link #time()} (padding, and causal if asked), shared by the layers. */
  AttentionMask selfAttentionMask(boolean causal) {
    return selfMasks.computeIfAbsent(time().prefix() + causal, key -> new AttentionMask(this,
        time().prefix() + (causal ? "/causal_mask" : "/mask"), time(), time(), causal));
  }

  /** The lengths as int64 ({@code ReverseSequence}'s type), cast once per graph and lengths tensor. */
  String lengthsInt64() {
    if (lengths == null) {
      throw new IllegalStateException("graph '" + graph.getName() + "' has no lengths input");
    }
    return lengthsInt64.computeIfAbsent(lengths, l -> {
      String cast = l + "/int64";
      node("Cast", l + "/Cast", List.of(l), List.of(cast), Attributes.integer("to", OnnxMl.TensorProto.DataType.INT64.getNumber()));
      return cast;
    });
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
    if (root != null) {
      return root.initializer(name, value);
    }
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

  /**
   * A float initializer that several graphs of one model (a main graph and a Loop body) may ask
   * for: made by {@code value} the first time, reused afterwards.
   */
  String sharedInitializer(String name, java.util.function.Supplier<FloatTensor> value) {
    GraphBuilder main = main();
    if (!main.shared.contains(name)) {
      main.initializer(name, value.get());
      main.shared.add(name);
    }
    return name;
  }

  /** Adds a 1-D int64 initializer, such as Squeeze's axes. */
  String int64Initializer(String name, long... values) {
    if (root != null) {
      return root.int64Initializer(name, values);
    }
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
    if (root != null) {
      return root.int64Scalar(name, value);
    }
    graph.addInitializer(OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber())
        .addInt64Data(value));
    return name;
  }

  /** Adds a 0-d float initializer, such as a scale factor. */
  String floatScalar(String name, float value) {
    if (root != null) {
      return root.floatScalar(name, value);
    }
    graph.addInitializer(OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .addFloatData(value));
    return name;
  }

  /** Adds a bool initializer of any shape (an empty shape for a scalar). */
  String boolInitializer(String name, long[] shape, boolean... values) {
    if (root != null) {
      return root.boolInitializer(name, shape, values);
    }
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.BOOL.getNumber());
    for (long d : shape) {
      t.addDims(d);
    }
    for (boolean v : values) {
      t.addInt32Data(v ? 1 : 0);
    }
    graph.addInitializer(t);
    return name;
  }

  /** Adds an int64 initializer of any shape. */
  String int64Tensor(String name, long[] shape, long... values) {
    if (root != null) {
      return root.int64Tensor(name, shape, values);
    }
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
        .setName(claim(name))
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber());
    for (long d : shape) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
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
    node("Transpose", name, List.of(input), List.of(output), Attributes.ints("perm", perm));
  }

  /** {@code Squeeze} of one axis: an attribute before Squeeze-13, an int64 input from it. */
  void squeeze(String name, String input, String output, long axis) {
    if (opVersion("Squeeze") >= 13) {
      String axes = int64Initializer(name + "/axes", axis);
      node("Squeeze", name, List.of(input, axes), List.of(output));
    } else {
      node("Squeeze", name, List.of(input), List.of(output), Attributes.ints("axes", axis));
    }
  }

  /** {@code Unsqueeze} of one axis: an attribute before Unsqueeze-13, an int64 input from it. */
  void unsqueeze(String name, String input, String output, long axis) {
    unsqueezeAxes(name, input, output, axis);
  }

  /** {@code Unsqueeze} of several axes (of the output), in the form of the target opset. */
  void unsqueezeAxes(String name, String input, String output, long... axes) {
    if (opVersion("Unsqueeze") >= 13) {
      String a = int64Initializer(name + "/axes", axes);
      node("Unsqueeze", name, List.of(input, a), List.of(output));
    } else {
      node("Unsqueeze", name, List.of(input), List.of(output), Attributes.ints("axes", axes));
    }
  }

  /** {@code Gather} of one index along an axis: drops that axis, e.g. one direction of {@code Y_h}. */
  void pick(String name, String input, String output, long axis, long index) {
    String i = int64Scalar(name + "/index", index);
    node("Gather", name, List.of(input, i), List.of(output), Attributes.integer("axis", axis));
  }

  /**
   * {@code Softmax} over the last axis of a rank-{@code rank} tensor. Before Softmax-13 the op
   * flattens the input to 2-D at {@code axis} and normalises the rows; at the last axis that is the
   * same function, so the axis is written as {@code rank − 1} (a non-negative index every version reads).
   */
  void softmaxLastAxis(String name, String input, String output, int rank) {
    long axis = opVersion("Softmax") >= 13 ? -1 : rank - 1;
    node("Softmax", name, List.of(input), List.of(output), Attributes.integer("axis", axis));
  }

  /**
   * {@code LogSoftmax} over the last axis of a rank-{@code rank} tensor, written as
   * {@link #softmaxLastAxis} writes Softmax (before opset 13 the op normalises the 2-D coercion at
   * {@code axis}, which on the last axis is the same function).
   */
  void logSoftmaxLastAxis(String name, String input, String output, int rank) {
    long axis = opVersion("LogSoftmax") >= 13 ? -1 : rank - 1;
    node("LogSoftmax", name, List.of(input), List.of(output), Attributes.integer("axis", axis));
  }

  /**
   * A reduction ({@code ReduceSum}, {@code ReduceMean}, {@code ReduceMax}) over the given axes: an attribute before
   * the op's version that moved the axes to an input (ReduceSum 13, ReduceMean and ReduceMax 18), an int64 input
   * from it.
   */
  void reduce(String op, String name, String input, String output, boolean keepDims, long... axes) {
    int axesInputSince = op.equals("ReduceSum") ? 13 : 18; // ReduceMean and ReduceMax: 18
    if (opVersion(op) >= axesInputSince) {
      String a = int64Initializer(name + "/axes", axes);
      node(op, name, List.of(input, a), List.of(output), Attributes.integer("keepdims", keepDims ? 1 : 0));
    } else {
      node(op, name, List.of(input), List.of(output), Attributes.ints("axes", axes),
          Attributes.integer("keepdims", keepDims ? 1 : 0));
    }
  }

  /** Declares a graph input. */
  void input(OnnxMl.ValueInfoProto info) {
    graph.addInput(info);
  }

  /** Declares a graph output. */
  void output(OnnxMl.ValueInfoProto info) {
    graph.addOutput(info);
  }
}

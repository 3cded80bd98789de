package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.rnnx.spec.Budget;
import dev.rnnx.spec.InputContract;
import dev.rnnx.spec.InputContract.Axis;
import dev.rnnx.spec.InputContract.Input;
import dev.rnnx.spec.InputContract.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX model declares it reads and returns, read from its protobuf in pure Java before any
 * native code sees it: the one reader of an ONNX file's interface, for serving ({@code djl}) and
 * {@code verify} alike. Each input's element type and axes (fixed, symbolic by {@code dim_param},
 * or free) and how integer inputs are used: rows of a table a {@code Gather} indexes (values
 * {@code 0 … rows−1}), or a recurrent node's {@code sequence_lens} (values {@code 1 …} the
 * symbolic time axis of the input the node reads). {@link #contract()} is all of it as a spec
 * {@link InputContract}.
 *
 * @param inputs the graph inputs that are not initializers, in graph order
 * @param outputs the graph outputs, in graph order
 */
public record OnnxInterface(List<Port> inputs, List<Port> outputs) {

  private static final Set<String> RECURRENT = Set.of("RNN", "GRU", "LSTM");
  private static final Set<String> SAME_AXES = Set.of("Cast", "Identity", "Add", "Sub", "Mul", "Div", "Relu", "Tanh",
      "Sigmoid", "Dropout", "LayerNormalization");

  /**
   * One declared input or output.
   *
   * @param input its name, type, axes and value rules
   * @param onnxType its ONNX element type code ({@code TensorProto.DataType})
   * @param indexRows for an integer input a {@code Gather} reads as rows of an initializer, the
   *     table's row count; otherwise {@code -1}
   * @param sequenceLengths whether a recurrent node reads it (directly or through a {@code Cast})
   *     as {@code sequence_lens}
   */
  public record Port(Input input, int onnxType, long indexRows, boolean sequenceLengths) {

    /** Its name. */
    public String name() {
      return input.name();
    }
  }

  /** Copies the lists. */
  public OnnxInterface {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * Reads the interface of an ONNX model file, after {@link KernelAssumptions} has checked it: a
   * runtime may open a file this returns for.
   *
   * @throws IllegalArgumentException if the path is missing, a folder, or not an ONNX model, or
   *     a {@link KernelAssumptionException} when it breaks what a kernel assumes
   */
  public static OnnxInterface read(Path file) {
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
      throw new IllegalArgumentException(file + " is not an ONNX model (not a ModelProto protobuf: " + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ONNX model file " + file, e);
    }
    if (model.getIrVersion() <= 0 || !model.hasGraph() || model.getGraph().getOutputCount() == 0) {
      throw new IllegalArgumentException(
          file + " is not an ONNX model: expected a ModelProto with an ir_version and a graph with outputs");
    }
    Budget.ONNX_INITIALIZER_BYTES.check("ONNX model " + file, initializerBytes(model.getGraph()));
    KernelAssumptions.check(file, model);
    return of(model);
  }

  /**
   * The bytes a graph's initializers declare (shape × element size, stored inline or as external
   * data), overflow-checked: {@link Long#MAX_VALUE} when the sum does not fit a {@code long}.
   */
  public static long initializerBytes(OnnxMl.GraphProto graph) {
    long total = 0;
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      long n = elementBytes(t.getDataType());
      for (long d : t.getDimsList()) {
        n = Budget.times(n, Math.max(0, d));
      }
      total = Budget.plus(total, n);
    }
    return total;
  }

  private static long elementBytes(int dataType) {
    return switch (dataType) {
      case 7, 11, 13, 14 -> 8; // int64, double, uint64, complex64
      case 15 -> 16; // complex128
      case 1, 6, 12 -> 4; // float, int32, uint32
      case 4, 5, 10, 16 -> 2; // uint16, int16, float16, bfloat16
      default -> 1;
    };
  }

  /** Reads a model's interface. */
  public static OnnxInterface of(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto g = model.getGraph();
    Map<String, OnnxMl.TensorProto> inits = new HashMap<>();
    g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
    Map<String, OnnxMl.ValueInfoProto> graphInputs = new LinkedHashMap<>();
    g.getInputList().stream().filter(v -> !inits.containsKey(v.getName())).forEach(v -> graphInputs.put(v.getName(), v));
    Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      n.getOutputList().forEach(o -> producer.put(o, n));
    }
    Map<String, String> lengthAxis = new HashMap<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (RECURRENT.contains(n.getOpType()) && n.getInputCount() > 4 && !n.getInput(4).isEmpty()) {
        String axis = timeAxis(n.getInput(0), graphInputs, producer, inits);
        String lengths = n.getInput(4);
        OnnxMl.NodeProto cast = producer.get(lengths);
        for (String name : cast != null && cast.getOpType().equals("Cast") ? List.of(lengths, cast.getInput(0)) : List.of(lengths)) {
          if (axis != null || !lengthAxis.containsKey(name)) {
            lengthAxis.put(name, axis);
          }
        }
      }
    }
    List<Port> ports = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : graphInputs.values()) {
      Port p = port(v);
      List<Rule> rules = new ArrayList<>();
      long rows = p.input().integer() ? tableRows(v.getName(), g, inits, rules) : -1;
      String axis = lengthAxis.get(v.getName());
      if (axis != null) {
        rules.add(new InputContract.Lengths(axis));
      }
      Input in = p.input();
      ports.add(new Port(new Input(in.name(), in.type(), in.axes(), rules), p.onnxType(), rows, lengthAxis.containsKey(v.getName())));
    }
    return new OnnxInterface(ports, g.getOutputList().stream().map(OnnxInterface::port).toList());
  }

  /** The inputs as a spec contract. */
  public InputContract contract() {
    return new InputContract(inputs.stream().map(Port::input).toList());
  }

  /** The input names, in graph order. */
  public List<String> inputNames() {
    return inputs.stream().map(Port::name).toList();
  }

  /** The output names, in graph order. */
  public List<String> outputNames() {
    return outputs.stream().map(Port::name).toList();
  }

  /**
   * The dynamic axes in the order they first appear, each with the axis index it first appears at
   * (0 for a batch-like leading axis); an unnamed one is called {@code <input>:<axis>}.
   */
  public Map<String, Integer> symbols() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Port p : inputs) {
      List<Axis> axes = p.input().axes();
      for (int i = 0; axes != null && i < axes.size(); i++) {
        if (axes.get(i).size() < 0) {
          out.putIfAbsent(axes.get(i).symbol() != null ? axes.get(i).symbol() : p.name() + ":" + i, i);
        }
      }
    }
    return out;
  }

  /**
   * The shape of an input for sizes of the dynamic axes named as {@link #symbols()} names them.
   *
   * @throws IllegalArgumentException when the input declares no shape
   */
  public static long[] shapeFor(Port p, Map<String, Long> sizes) {
    List<Axis> axes = p.input().axes();
    if (axes == null) {
      throw new IllegalArgumentException("input '" + p.name() + "' declares no shape, so rnnx cannot generate it;"
          + " give inputs with --inputs");
    }
    long[] shape = new long[axes.size()];
    for (int i = 0; i < shape.length; i++) {
      Axis a = axes.get(i);
      shape[i] = a.size() >= 0 ? a.size() : sizes.get(a.symbol() != null ? a.symbol() : p.name() + ":" + i);
    }
    return shape;
  }

  @Override
  public String toString() {
    return "OnnxInterface" + inputs.stream().map(p -> p.name() + ": " + p.input().describe()).toList() + " -> " + outputNames();
  }

  private static Port port(OnnxMl.ValueInfoProto v) {
    if (!v.hasType() || !v.getType().hasTensorType()) {
      return new Port(new Input(v.getName(), "non-tensor", null, List.of()), -1, -1, false);
    }
    OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
    List<Axis> axes = null;
    if (t.hasShape()) {
      axes = new ArrayList<>();
      for (OnnxMl.TensorShapeProto.Dimension d : t.getShape().getDimList()) {
        axes.add(d.hasDimValue() ? Axis.fixed(d.getDimValue())
            : d.hasDimParam() && !d.getDimParam().isEmpty() ? Axis.named(d.getDimParam()) : Axis.free());
      }
    }
    return new Port(new Input(v.getName(), typeName(t.getElemType()), axes, List.of()), t.getElemType(), -1, false);
  }

  /** The ONNX element type as rnnx names it: {@code float32}, {@code int64}, {@code float16}, … */
  public static String typeName(int code) {
    if (code == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
      return "float32";
    }
    OnnxMl.TensorProto.DataType dt = OnnxMl.TensorProto.DataType.forNumber(code);
    return dt == null ? "type#" + code : dt.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The rows of the table a {@code Gather} (default domain, axis 0) reads with this input as
   * indices, adding the {@link InputContract.Ids} rule; {@code -1} when none. Negative indices,
   * which Gather reads from the end, are refused too: rnnx ids are never negative.
   */
  private static long tableRows(String name, OnnxMl.GraphProto g, Map<String, OnnxMl.TensorProto> inits, List<Rule> rules) {
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (!n.getOpType().equals("Gather") || !n.getDomain().isEmpty() || n.getInputCount() < 2 || !n.getInput(1).equals(name)) {
        continue;
      }
      OnnxMl.TensorProto table = inits.get(n.getInput(0));
      long axis = n.getAttributeList().stream().filter(a -> a.getName().equals("axis")).mapToLong(OnnxMl.AttributeProto::getI)
          .findFirst().orElse(0);
      if (table != null && table.getDimsCount() > 0 && (axis == 0 || axis == -table.getDimsCount())) {
        rules.add(new InputContract.Ids(table.getDims(0), "rows of table '" + table.getName() + "'"));
        return table.getDims(0);
      }
    }
    return -1;
  }

  /**
   * The symbolic axis of a graph input that a recurrent node reads as its time axis: its input
   * {@code X [seq, batch, features]} is followed back through {@code Transpose}, {@code Gather} on a
   * table and element-wise nodes to a graph input; {@code null} when the path or axis has no name.
   */
  private static String timeAxis(String x, Map<String, OnnxMl.ValueInfoProto> graphInputs, Map<String, OnnxMl.NodeProto> producer,
      Map<String, OnnxMl.TensorProto> inits) {
    String value = x;
    int axis = 0;
    for (int step = 0; step < 64; step++) {
      OnnxMl.ValueInfoProto in = graphInputs.get(value);
      if (in != null) {
        Port p = port(in);
        List<Axis> axes = p.input().axes();
        return axes != null && axis < axes.size() ? axes.get(axis).symbol() : null;
      }
      OnnxMl.NodeProto n = producer.get(value);
      if (n == null) {
        return null;
      }
      if (n.getOpType().equals("Transpose")) {
        List<Long> perm = n.getAttributeList().stream().filter(a -> a.getName().equals("perm")).findFirst()
            .map(OnnxMl.AttributeProto::getIntsList).orElse(null);
        if (perm == null || axis >= perm.size()) {
          return null;
        }
        axis = perm.get(axis).intValue();
        value = n.getInput(0);
      } else if (n.getOpType().equals("Gather") && n.getInputCount() > 1 && inits.containsKey(n.getInput(0))) {
        value = n.getInput(1);
      } else if (SAME_AXES.contains(n.getOpType())) {
        value = n.getInputList().stream().filter(i -> !inits.containsKey(i) && !i.isEmpty()).findFirst().orElse(null);
        if (value == null) {
          return null;
        }
      } else {
        return null;
      }
    }
    return null;
  }
}

package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an ONNX graph declares it reads and returns: each input's element type and dimensions
 * (fixed, symbolic by name, or unknown), and how integer inputs are used (rows of a table a
 * {@code Gather} indexes, or a recurrent node's {@code sequence_lens}). Read in Java, before any
 * native code sees the model.
 *
 * @param inputs the graph inputs that are not initializers, in graph order
 * @param outputs the graph output names, in graph order
 */
public record GraphInterface(List<Port> inputs, List<String> outputs) {

  /**
   * One declared input.
   *
   * @param name its name
   * @param type its element type
   * @param dims its dimensions, {@code -1} where not fixed; {@code null} when the rank is unknown
   * @param symbols the symbolic name of each dimension ({@code null} where fixed or unnamed)
   * @param indexRows for an integer input that a {@code Gather} reads as rows of an initializer,
   *     that table's row count; otherwise {@code -1}
   * @param sequenceLengths whether a recurrent node reads it (directly or through a {@code Cast})
   *     as {@code sequence_lens}
   */
  public record Port(String name, DataType type, long[] dims, String[] symbols, long indexRows, boolean sequenceLengths) {

    /** The declared shape as text, e.g. {@code [batch, time, 3]}. */
    public String shapeString() {
      if (dims == null) {
        return "(unknown rank)";
      }
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < dims.length; i++) {
        parts.add(dims[i] >= 0 ? String.valueOf(dims[i]) : symbols[i] != null ? symbols[i] : "?");
      }
      return "[" + String.join(", ", parts) + "]";
    }
  }

  /** Copies the lists. */
  public GraphInterface {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Reads a model's interface. */
  public static GraphInterface of(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto g = model.getGraph();
    Map<String, OnnxMl.TensorProto> inits = new HashMap<>();
    g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
    Set<String> lengthNames = new HashSet<>();
    Map<String, String> castOf = new HashMap<>();
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("Cast") && n.getInputCount() == 1 && n.getOutputCount() == 1) {
        castOf.put(n.getOutput(0), n.getInput(0));
      }
    }
    for (OnnxMl.NodeProto n : g.getNodeList()) {
      if (Set.of("RNN", "GRU", "LSTM").contains(n.getOpType()) && n.getInputCount() > 4 && !n.getInput(4).isEmpty()) {
        String s = n.getInput(4);
        lengthNames.add(s);
        if (castOf.containsKey(s)) {
          lengthNames.add(castOf.get(s));
        }
      }
    }
    List<Port> ports = new ArrayList<>();
    for (OnnxMl.ValueInfoProto v : g.getInputList()) {
      if (inits.containsKey(v.getName())) {
        continue;
      }
      if (!v.getType().hasTensorType()) {
        throw new IllegalArgumentException("graph input '" + v.getName() + "' is not a tensor; rnnx verify feeds tensors only");
      }
      OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
      DataType type = DataType.fromOnnx(t.getElemType());
      long[] dims = null;
      String[] symbols = null;
      if (t.hasShape()) {
        int r = t.getShape().getDimCount();
        dims = new long[r];
        symbols = new String[r];
        for (int i = 0; i < r; i++) {
          OnnxMl.TensorShapeProto.Dimension d = t.getShape().getDim(i);
          dims[i] = d.hasDimValue() ? d.getDimValue() : -1;
          symbols[i] = d.hasDimParam() && !d.getDimParam().isEmpty() ? d.getDimParam() : null;
        }
      }
      long rows = -1;
      if (type.isInteger()) {
        for (OnnxMl.NodeProto n : g.getNodeList()) {
          if (n.getOpType().equals("Gather") && n.getInputCount() > 1 && n.getInput(1).equals(v.getName())
              && inits.containsKey(n.getInput(0)) && inits.get(n.getInput(0)).getDimsCount() > 0) {
            long axis = n.getAttributeList().stream().filter(a -> a.getName().equals("axis"))
                .mapToLong(OnnxMl.AttributeProto::getI).findFirst().orElse(0);
            if (axis == 0) {
              rows = inits.get(n.getInput(0)).getDims(0);
            }
          }
        }
      }
      ports.add(new Port(v.getName(), type, dims, symbols, rows, lengthNames.contains(v.getName())));
    }
    List<String> outs = g.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList();
    return new GraphInterface(ports, outs);
  }

  /** The input names, in graph order. */
  public List<String> inputNames() {
    return inputs.stream().map(Port::name).toList();
  }

  /**
   * Checks a set of named inputs against the declarations: unknown and missing names, element
   * types, ranks, fixed dimensions, symbolic dimensions bound to one size across all inputs, finite
   * floats, integers inside the tables they index. (Sequence lengths are checked against the
   * padded length by the pure-Java reference, {@code ref-onnx}, before any native backend runs.)
   *
   * @return every problem found, one line each (empty when the inputs fit)
   */
  public List<String> problems(Map<String, ? extends Tensor> given) {
    List<String> problems = new ArrayList<>();
    List<String> names = inputNames();
    for (String k : given.keySet()) {
      if (!names.contains(k)) {
        problems.add("unknown input '" + k + "', the model's inputs are " + names);
      }
    }
    Map<String, String> bound = new LinkedHashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    for (Port p : inputs) {
      Tensor t = given.get(p.name());
      if (t == null) {
        problems.add("input '" + p.name() + "' is missing (declared " + p.type() + " " + p.shapeString() + ")");
        continue;
      }
      if (p.type().isFloating() != (t instanceof FloatTensor)) {
        problems.add("input '" + p.name() + "' is declared " + p.type() + " but got " + (t instanceof FloatTensor ? "float32 values"
            : "integers"));
      }
      if (p.dims() != null) {
        if (p.dims().length != t.rank()) {
          problems.add("input '" + p.name() + "' has shape " + t.shapeString() + " (rank " + t.rank() + "), declared "
              + p.shapeString() + " (rank " + p.dims().length + ")");
        } else {
          for (int i = 0; i < p.dims().length; i++) {
            if (p.dims()[i] >= 0 && p.dims()[i] != t.dim(i)) {
              problems.add("input '" + p.name() + "' has shape " + t.shapeString() + ", declared " + p.shapeString()
                  + ": dimension " + i + " must be " + p.dims()[i]);
            } else if (p.dims()[i] < 0 && p.symbols()[i] != null) {
              String sym = p.symbols()[i];
              Long size = sizes.putIfAbsent(sym, t.dim(i));
              String where = "input '" + p.name() + "' dimension " + i;
              bound.putIfAbsent(sym, where);
              if (size != null && size != t.dim(i)) {
                problems.add(where + " ('" + sym + "') is " + t.dim(i) + " but " + bound.get(sym) + " made it " + size);
              }
            }
          }
        }
      }
      if (t instanceof FloatTensor f) {
        for (int i = 0; i < f.size(); i++) {
          if (!Float.isFinite(f.data()[i])) {
            problems.add("input '" + p.name() + "' holds " + f.data()[i] + " at " + NonFiniteValue.position(f.shape(), i)
                + "; inputs must be finite");
            break;
          }
        }
      } else if (t instanceof LongTensor l && p.indexRows() >= 0) {
        for (int i = 0; i < l.size(); i++) {
          if (l.data()[i] < 0 || l.data()[i] >= p.indexRows()) {
            problems.add("input '" + p.name() + "' holds " + l.data()[i] + " at " + NonFiniteValue.position(l.shape(), i)
                + ", expected a row index 0 … " + (p.indexRows() - 1));
            break;
          }
        }
      }
    }
    return problems;
  }

  /**
   * The symbolic dimensions in the order they first appear, with the axis they first appear at
   * (0 for a batch-like leading axis).
   */
  Map<String, Integer> symbols() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Port p : inputs) {
      if (p.dims() == null) {
        continue;
      }
      for (int i = 0; i < p.dims().length; i++) {
        if (p.dims()[i] < 0) {
          out.putIfAbsent(p.symbols()[i] != null ? p.symbols()[i] : p.name() + ":" + i, i);
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "GraphInterface" + inputs.stream().map(p -> p.name() + ":" + p.type() + p.shapeString()).toList() + " -> "
        + outputs;
  }

  /** The dims array of a port for a given binding of its symbols. */
  static long[] shapeFor(Port p, Map<String, Long> sizes) {
    if (p.dims() == null) {
      throw new IllegalArgumentException("input '" + p.name() + "' declares no shape, so rnnx cannot generate it;"
          + " give inputs with --inputs");
    }
    long[] shape = new long[p.dims().length];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = p.dims()[i] >= 0 ? p.dims()[i]
          : sizes.get(p.symbols()[i] != null ? p.symbols()[i] : p.name() + ":" + i);
    }
    return shape;
  }

  static String str(long[] a) {
    return Arrays.toString(a);
  }
}

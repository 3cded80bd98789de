package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an ONNX model in pure Java and double precision: the oracle against which native
 * runtimes are judged. It needs no native code.
 *
 * <p>The graph is checked when the evaluator is built: every node must be an operator of the
 * default ONNX domain that this evaluator supports at the model's opset (see
 * {@link #supportedOps()}), and every node input must be produced by a node, a graph input or an
 * initializer. The bodies of control-flow nodes ({@code Loop}) are checked the same way, and may
 * read the values of their enclosing graphs by name. Nodes then run in topological order (the
 * graph's own order where it is already sorted). Optional inputs given as empty names, and trailing optional inputs left out, reach the
 * kernels as absent. Initializers that are also listed as graph inputs are defaults that a caller may
 * override.
 *
 * <p>Floating tensors are computed in double precision whatever their declared type; they are
 * rounded only by {@code Cast} and when encoded with {@link TensorProtos}. An instance is immutable
 * and thread-safe: {@link #run} keeps its state on the stack.
 */
public final class OnnxEvaluator {

  private final String modelName;
  private final int opset;
  private final GraphProgram program;
  private final List<ValueInfoProto> inputs;
  private final List<String> inputNames;
  private final Set<String> overridable;

  /**
   * Prepares a model for evaluation.
   *
   * @throws UnsupportedOperationException when a node uses an operator (or a domain, or an opset)
   *     that is not supported; the message names the op and the node
   * @throws IllegalArgumentException when the graph is malformed (an input nobody produces, a cycle,
   *     an undecodable initializer)
   */
  public OnnxEvaluator(ModelProto model) {
    GraphProto graph = model.getGraph();
    this.modelName = graph.getName().isEmpty() ? "(unnamed graph)" : graph.getName();
    this.opset = defaultOpset(model);
    this.program = new GraphProgram(graph, opset, Set.of());
    this.inputs = program.requiredInputs();
    List<String> names = new ArrayList<>();
    inputs.forEach(v -> names.add(v.getName()));
    this.inputNames = List.copyOf(names);
    this.overridable = Set.copyOf(program.inputNames());
  }

  /**
   * Reads and prepares a model file.
   *
   * @throws IllegalArgumentException when the file is not a valid {@code ModelProto}, naming it
   * @throws UncheckedIOException when it cannot be read
   */
  public static OnnxEvaluator load(Path modelFile) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + modelFile, e);
    }
    try {
      return new OnnxEvaluator(ModelProto.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("file " + modelFile + " is not a valid ONNX model: " + e.getMessage(), e);
    }
  }

  /**
   * The operators this evaluator supports (default ONNX domain), each with the first opset version
   * it is supported at, sorted by name.
   */
  public static Map<String, Integer> supportedOps() {
    return OpRegistry.supported();
  }

  /** The model's opset version for the default ONNX domain. */
  public int opset() {
    return opset;
  }

  /** The graph inputs a caller must supply (those without an initializer), in graph order. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The graph outputs, in graph order. */
  public List<String> outputNames() {
    return program.outputNames();
  }

  /** The initializers, decoded, by name. */
  public Map<String, Value> initializers() {
    return program.initializers();
  }

  /**
   * Runs the graph.
   *
   * @param feeds a value for every name of {@link #inputNames()}, and optionally for initializers
   *     that are also graph inputs (overriding them)
   * @return every graph output by name, in graph order
   * @throws IllegalArgumentException when an input is missing, unknown, or of the wrong type or rank,
   *     or when a node rejects its inputs (the message names the node and its op)
   */
  public Map<String, Value> run(Map<String, Value> feeds) {
    for (Map.Entry<String, Value> e : feeds.entrySet()) {
      if (!overridable.contains(e.getKey())) {
        throw new IllegalArgumentException("Unknown input name " + e.getKey() + ", expected one of " + inputNames);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("input " + e.getKey() + " is null");
      }
    }
    for (ValueInfoProto v : inputs) {
      Value given = feeds.get(v.getName());
      if (given == null) {
        throw new IllegalArgumentException("missing input " + v.getName() + "; model " + modelName + " needs "
            + inputNames);
      }
      checkDeclared(v, given);
    }
    return program.execute(feeds);
  }

  /** Checks a fed value against the graph input's declared element type and static dimensions. */
  private static void checkDeclared(ValueInfoProto info, Value v) {
    TypeProto t = info.getType();
    if (t.hasSequenceType() || t.hasOptionalType()) {
      Value.Kind want = t.hasSequenceType() ? Value.Kind.SEQUENCE : Value.Kind.OPTIONAL;
      if (v.kind() != want) {
        throw new IllegalArgumentException("input " + info.getName() + " must be a " + want + ", got a " + v.kind());
      }
      return;
    }
    if (!t.hasTensorType()) {
      throw new UnsupportedOperationException("input " + info.getName() + " is neither a tensor, a sequence nor an "
          + "optional; maps and sparse tensors are not supported");
    }
    if (!v.isTensor()) {
      throw new IllegalArgumentException("input " + info.getName() + " must be a tensor, got a " + v.kind());
    }
    TypeProto.Tensor tt = t.getTensorType();
    if (tt.getElemType() != 0 && tt.getElemType() != v.type().onnxCode()) {
      throw new IllegalArgumentException("input " + info.getName() + " must be of ONNX type " + tt.getElemType()
          + ", got " + v.type() + " (" + v.type().onnxCode() + ")");
    }
    if (tt.hasShape()) {
      TensorShapeProto s = tt.getShape();
      if (s.getDimCount() != v.rank()) {
        throw new IllegalArgumentException("input " + info.getName() + " must have rank " + s.getDimCount()
            + ", got shape " + Shapes.str(v.shapeRef()));
      }
      for (int i = 0; i < s.getDimCount(); i++) {
        TensorShapeProto.Dimension d = s.getDim(i);
        if (d.hasDimValue() && d.getDimValue() != v.dim(i)) {
          throw new IllegalArgumentException("input " + info.getName() + " must have dimension " + i + " = "
              + d.getDimValue() + ", got shape " + Shapes.str(v.shapeRef()));
        }
      }
    }
  }

  private static int defaultOpset(ModelProto model) {
    int version = -1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        version = (int) o.getVersion();
      }
    }
    if (version < 0) {
      // IR version 1/2 models carry no opset import for the default domain: opset 1
      version = 1;
    }
    return version;
  }
}

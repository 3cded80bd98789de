package dev.rnnx.ref;

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
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.Dense;
import dev.rnnx.spec.Embedding;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.MergeMode;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.spec.Tensor;
import dev.rnnx.spec.TensorSpec;
import dev.rnnx.spec.TimeDistributed;
import dev.rnnx.weights.Weights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical model written out by hand as an ONNX graph — the standard ONNX ops with the
 * canonical weights permuted to ONNX's layout — and run on the pure-Java {@link OnnxEvaluator}.
 * Its outputs tie rnnx's conventions to ONNX's: a test compares them with {@link ReferenceModel}.
 *
 * <p>Permutations, written out here and nowhere else in the tests: kernels {@code [in, G·H]} →
 * {@code W [dirs, G·H, in]}; LSTM gate blocks i, f, c, o → i, o, f, c; peepholes i, f, o → i, o, f;
 * GRU z, r, h stays; bias → {@code B [dirs, 2·G·H]} as (input bias, recurrent bias), the recurrent
 * half zero unless the GRU has {@code reset_after}. {@code go_backwards} is {@code direction =
 * reverse} followed by ONNX's {@code ReverseSequence} on the time axis; the evaluator has no
 * {@code ReverseSequence}, so the graph spells it out with ops it has (a one-hot permutation
 * built from {@code lengths} and applied by {@code MatMul}).
 */
final class OnnxMirror {

  static final int OPSET = 14;

  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<ValueInfoProto> graphInputs = new ArrayList<>();
  private final List<ValueInfoProto> graphOutputs = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private final Map<String, Value> feeds = new LinkedHashMap<>();
  private int counter;

  private final Sequential model;
  private final Weights weights;
  private final int time;
  private String lengths;

  private OnnxMirror(Sequential model, Weights weights, int time) {
    this.model = model;
    this.weights = weights;
    this.time = time;
  }

  /** Builds the graph for these inputs' sequence length and runs it: the model outputs by name. */
  static Map<String, Value> run(Sequential model, Weights weights, Map<String, ? extends Tensor> inputs) {
    int time = (int) inputs.get(Sequential.INPUT).dim(1);
    OnnxMirror g = new OnnxMirror(model, weights, time);
    ModelProto proto = g.build(inputs);
    return new OnnxEvaluator(proto).run(g.feeds);
  }

  // ---- the model ---------------------------------------------------------------------------------

  private ModelProto build(Map<String, ? extends Tensor> inputs) {
    for (TensorSpec s : model.inputs()) {
      Tensor t = inputs.get(s.name());
      Value v;
      if (t instanceof FloatTensor f) {
        v = Value.ofFloats(f.shape(), f.data());
      } else if (s.dtype() == dev.rnnx.spec.DType.INT32) {
        v = Value.ofInt32(t.shape(), ((LongTensor) t).toIntArray());
      } else {
        v = Value.ofInt64(t.shape(), ((LongTensor) t).data());
      }
      feeds.put(s.name(), v);
      graphInputs.add(info(s.name(), v.type(), v.shape()));
    }
    lengths = model.input().lengths() ? Sequential.LENGTHS : null;
    String x = Sequential.INPUT;
    List<String> outs = List.of();
    for (Layer layer : model.layers()) {
      outs = layer(layer, x);
      x = outs.get(0);
    }
    List<TensorSpec> specs = model.outputs();
    for (int i = 0; i < specs.size(); i++) {
      nodes.add(node("Identity", List.of(outs.get(i)), List.of(specs.get(i).name())));
      graphOutputs.add(ValueInfoProto.newBuilder().setName(specs.get(i).name()).setType(TypeProto.newBuilder()
          .setTensorType(TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.onnxCode()))).build());
    }
    GraphProto graph = GraphProto.newBuilder().setName(model.name()).addAllNode(nodes).addAllInput(graphInputs)
        .addAllOutput(graphOutputs).addAllInitializer(initializers).build();
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("rnnx-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(graph).build();
  }

  /** One layer: its output names, main output first. */
  private List<String> layer(Layer layer, String x) {
    if (layer instanceof Embedding e) {
      return List.of(op("Gather", List.of(param(e.name() + "/embeddings"), x), attr("axis", 0)));
    }
    if (layer instanceof Dense d) {
      return List.of(dense(d, x));
    }
    if (layer instanceof TimeDistributed td) {
      return List.of(dense(td.asDense(), x));
    }
    if (layer instanceof Bidirectional b) {
      return bidirectional(b, x);
    }
    return recurrent((RecurrentLayer) layer, x);
  }

  private String dense(Dense d, String x) {
    String y = op("MatMul", List.of(x, param(d.name() + "/kernel")));
    if (d.useBias()) {
      y = op("Add", List.of(y, param(d.name() + "/bias")));
    }
    return switch (d.activation()) {
      case LINEAR -> y;
      case SOFTMAX -> op("Softmax", List.of(y), attr("axis", -1));
      case HARD_SIGMOID_KERAS3 -> op("HardSigmoid", List.of(y), AttributeProto.newBuilder().setName("alpha")
          .setType(AttributeProto.AttributeType.FLOAT).setF(1.0f / 6.0f).build());
      default -> op(onnxName(d.activation()), List.of(y));
    };
  }

  private List<String> recurrent(RecurrentLayer layer, String x) {
    List<String> states = layer.stateInputs()
        ? layer.states().stream().map(s -> Sequential.stateInputName(layer, s)).toList() : null;
    Node n = recurrentNode(layer, List.of(layer.name() + "/"), x, layer.goBackwards() ? "reverse" : "forward",
        states == null ? null : List.of(states));
    List<String> out = new ArrayList<>();
    if (layer.returnSequences()) {
      String y = batchFirst(op("Squeeze", List.of(n.y), ints("axes", 1)));
      out.add(layer.goBackwards() ? reverseSequence(y) : y);
    } else {
      out.add(op("Squeeze", List.of(n.yh), ints("axes", 0)));
    }
    if (layer.returnState()) {
      out.add(op("Squeeze", List.of(n.yh), ints("axes", 0)));
      if (n.yc != null) {
        out.add(op("Squeeze", List.of(n.yc), ints("axes", 0)));
      }
    }
    return out;
  }

  private List<String> bidirectional(Bidirectional b, String x) {
    RecurrentLayer layer = b.layer();
    List<List<String>> states = null;
    if (layer.stateInputs()) {
      states = new ArrayList<>();
      for (String d : Bidirectional.DIRECTIONS) {
        states.add(layer.states().stream().map(s -> Sequential.stateInputName(b, d + "_" + s)).toList());
      }
    }
    Node n = recurrentNode(layer, List.of(b.directionPrefix("forward"), b.directionPrefix("backward")), x,
        "bidirectional", states);
    List<String> out = new ArrayList<>();
    if (layer.returnSequences()) {
      // Y [T, 2, B, H] → [B, T, 2, H]; ONNX's backward half is already in input time
      String y = op("Transpose", List.of(n.y), ints("perm", 2, 0, 1, 3));
      if (b.mergeMode() == MergeMode.CONCAT) {
        out.add(op("Reshape", List.of(y, constInt64("shape", 0, 0, -1))));
      } else {
        out.add(op("Squeeze", List.of(merge(b.mergeMode(), half(y, 2, 0), half(y, 2, 1))), ints("axes", 2)));
      }
    } else {
      String f = half(n.yh, 0, 0);
      String bw = half(n.yh, 0, 1);
      String m = b.mergeMode() == MergeMode.CONCAT
          ? op("Concat", List.of(f, bw), attr("axis", 2)) : merge(b.mergeMode(), f, bw);
      out.add(op("Squeeze", List.of(m), ints("axes", 0)));
    }
    if (layer.returnState()) {
      for (int d = 0; d < 2; d++) {
        out.add(op("Squeeze", List.of(half(n.yh, 0, d)), ints("axes", 0)));
        if (n.yc != null) {
          out.add(op("Squeeze", List.of(half(n.yc, 0, d)), ints("axes", 0)));
        }
      }
    }
    return out;
  }

  private String half(String v, int axis, int index) {
    return op("Slice", List.of(v, constInt64("s", index), constInt64("e", index + 1), constInt64("a", axis)));
  }

  private String merge(MergeMode mode, String f, String b) {
    return switch (mode) {
      case SUM -> op("Add", List.of(f, b));
      case MUL -> op("Mul", List.of(f, b));
      case AVE -> op("Div", List.of(op("Add", List.of(f, b)), constFloat("two", 2)));
      case CONCAT -> throw new IllegalArgumentException("concat is not element-wise");
    };
  }

  /** The outputs of one ONNX recurrent node. */
  private record Node(String y, String yh, String yc) {}

  private Node recurrentNode(RecurrentLayer layer, List<String> prefixes, String x, String direction,
      List<List<String>> states) {
    int h = layer.units();
    int g = layer.gates();
    int[] order = layer instanceof Lstm ? new int[] {0, 3, 1, 2} : layer instanceof Gru ? new int[] {0, 1, 2} : new int[] {0};
    int dirs = prefixes.size();
    int in = (int) weights.get(prefixes.get(0) + "kernel").dim(0);
    double[] w = new double[dirs * g * h * in];
    double[] r = new double[dirs * g * h * h];
    double[] bias = new double[dirs * 2 * g * h];
    double[] peep = new double[dirs * 3 * h];
    for (int d = 0; d < dirs; d++) {
      String p = prefixes.get(d);
      permuteGates(weights.get(p + "kernel").data(), in, h, order, w, d * g * h * in);
      permuteGates(weights.get(p + "recurrent_kernel").data(), h, h, order, r, d * g * h * h);
      if (layer.useBias()) {
        float[] b = weights.get(p + "bias").data();
        int off = d * 2 * g * h;
        // a reset_after GRU's bias [2, 3H] is (input bias, recurrent bias); every other bias is the input half
        int blocks = b.length / (g * h);
        for (int half = 0; half < blocks; half++) {
          for (int k = 0; k < g; k++) {
            for (int j = 0; j < h; j++) {
              bias[off + half * g * h + k * h + j] = b[half * g * h + order[k] * h + j];
            }
          }
        }
      }
      if (layer instanceof Lstm l && l.peephole()) {
        float[] pp = weights.get(p + "peephole").data();
        int[] porder = {0, 2, 1};
        for (int k = 0; k < 3; k++) {
          for (int j = 0; j < h; j++) {
            peep[d * 3 * h + k * h + j] = pp[porder[k] * h + j];
          }
        }
      }
    }
    List<String> ins = new ArrayList<>();
    ins.add(op("Transpose", List.of(x), ints("perm", 1, 0, 2)));
    ins.add(constant("W", Value.ofDoubles(DataType.FLOAT, new long[] {dirs, g * h, in}, w)));
    ins.add(constant("R", Value.ofDoubles(DataType.FLOAT, new long[] {dirs, g * h, h}, r)));
    ins.add(layer.useBias() ? constant("B", Value.ofDoubles(DataType.FLOAT, new long[] {dirs, 2 * g * h}, bias)) : "");
    ins.add(lengths == null ? "" : lengths);
    int stateCount = layer.states().size();
    for (int s = 0; s < stateCount; s++) {
      if (states == null) {
        ins.add("");
      } else {
        List<String> perDirection = new ArrayList<>();
        for (List<String> names : states) {
          perDirection.add(op("Unsqueeze", List.of(names.get(s)), ints("axes", 0)));
        }
        ins.add(dirs == 1 ? perDirection.get(0) : op("Concat", perDirection, attr("axis", 0)));
      }
    }
    if (layer instanceof Lstm l && l.peephole()) {
      ins.add(constant("P", Value.ofDoubles(DataType.FLOAT, new long[] {dirs, 3 * h}, peep)));
    }
    List<AttributeProto> attrs = new ArrayList<>();
    attrs.add(attr("hidden_size", h));
    attrs.add(strAttr("direction", direction));
    List<Activation> fns = new ArrayList<>();
    String opType;
    if (layer instanceof Lstm l) {
      opType = "LSTM";
      fns.addAll(List.of(l.recurrentActivation(), l.activation(), l.activation()));
    } else if (layer instanceof Gru gru) {
      opType = "GRU";
      fns.addAll(List.of(gru.recurrentActivation(), gru.activation()));
      attrs.add(attr("linear_before_reset", gru.resetAfter() ? 1 : 0));
    } else {
      opType = "RNN";
      fns.add(((SimpleRnn) layer).activation());
    }
    List<Activation> both = new ArrayList<>(fns);
    if (dirs == 2) {
      both.addAll(fns);
    }
    attrs.add(strings("activations", both.stream().map(OnnxMirror::onnxName).toList()));
    if (both.contains(Activation.HARD_SIGMOID_KERAS3)) {
      // ONNX Runtime's defaults (HardSigmoid 0.2/0.5, Elu 1) written out, Keras 3's hard sigmoid slope 1/6
      List<Float> alphas = new ArrayList<>();
      List<Float> betas = new ArrayList<>();
      for (Activation a : both) {
        switch (a) {
          case HARD_SIGMOID, HARD_SIGMOID_KERAS3 -> {
            alphas.add(a == Activation.HARD_SIGMOID ? 0.2f : 1.0f / 6.0f);
            betas.add(0.5f);
          }
          case ELU -> alphas.add(1.0f);
          default -> { }
        }
      }
      attrs.add(floats("activation_alpha", alphas));
      attrs.add(floats("activation_beta", betas));
    }
    String base = fresh(opType);
    List<String> outs = new ArrayList<>(List.of(base + "_Y", base + "_Y_h"));
    if (layer instanceof Lstm) {
      outs.add(base + "_Y_c");
    }
    nodes.add(node(opType, ins, outs, attrs.toArray(new AttributeProto[0])));
    return new Node(outs.get(0), outs.get(1), outs.size() > 2 ? outs.get(2) : null);
  }

  /** Canonical {@code [rows, G·H]} (blocks in canonical order) → ONNX {@code [G·H, rows]} (blocks in ONNX order). */
  static void permuteGates(float[] canonical, int rows, int h, int[] order, double[] out, int offset) {
    int g = order.length;
    for (int k = 0; k < g; k++) {
      for (int j = 0; j < h; j++) {
        for (int c = 0; c < rows; c++) {
          out[offset + (k * h + j) * rows + c] = canonical[c * g * h + order[k] * h + j];
        }
      }
    }
  }

  /** {@code [T, B, H]} → {@code [B, T, H]}. */
  private String batchFirst(String y) {
    return op("Transpose", List.of(y), ints("perm", 1, 0, 2));
  }

  /**
   * ONNX's {@code ReverseSequence(y, lengths, batch_axis=0, time_axis=1)} on {@code [B, T, H]}:
   * the first L steps of each sequence reversed, the rest left in place. Without lengths, all T.
   */
  private String reverseSequence(String y) {
    long[] range = new long[time];
    for (int t = 0; t < time; t++) {
      range[t] = t;
    }
    String steps = constant("t", Value.ofInt64(new long[] {1, time}, range));
    String len;
    if (lengths == null) {
      len = constInt64("T", time);
    } else {
      String cast = op("Cast", List.of(lengths), attr("to", DataType.INT64.onnxCode()));
      len = op("Unsqueeze", List.of(cast), ints("axes", 1));
    }
    String inside = op("Less", List.of(steps, len));
    String mirrored = op("Sub", List.of(op("Sub", List.of(len, constInt64("one", 1))), steps));
    String source = op("Where", List.of(inside, mirrored, steps));
    String sources = constant("s", Value.ofInt64(new long[] {1, 1, time}, range));
    String oneHot = op("Cast", List.of(op("Equal", List.of(op("Unsqueeze", List.of(source), ints("axes", 2)), sources))),
        attr("to", DataType.FLOAT.onnxCode()));
    return op("MatMul", List.of(oneHot, y));
  }

  static String onnxName(Activation a) {
    return switch (a) {
      case TANH -> "Tanh";
      case SIGMOID -> "Sigmoid";
      case RELU -> "Relu";
      case HARD_SIGMOID -> "HardSigmoid";
      case SOFTSIGN -> "Softsign";
      case SOFTPLUS -> "Softplus";
      case ELU -> "Elu";
      case HARD_SIGMOID_KERAS3 -> "HardSigmoid";
      case LINEAR, SOFTMAX -> throw new IllegalArgumentException(a + " has no ONNX recurrent activation");
    };
  }

  // ---- graph plumbing ----------------------------------------------------------------------------

  private String fresh(String hint) {
    return hint + "_" + counter++;
  }

  private String param(String name) {
    FloatTensor t = weights.get(name);
    return constant(name.replace('/', '_'), Value.ofFloats(t.shape(), t.data()));
  }

  private String constant(String hint, Value v) {
    String name = fresh(hint);
    initializers.add(TensorProtos.encode(v, name));
    return name;
  }

  private String constInt64(String hint, long... v) {
    return constant(hint, Value.ofInt64(new long[] {v.length}, v));
  }

  private String constFloat(String hint, double v) {
    return constant(hint, Value.ofDoubles(DataType.FLOAT, new long[] {}, new double[] {v}));
  }

  /** A one-output node; an {@code ints} attribute named {@code axes} becomes an input (opset ≥ 13). */
  private String op(String type, List<String> inputs, AttributeProto... attrs) {
    List<String> ins = new ArrayList<>(inputs);
    List<AttributeProto> keep = new ArrayList<>();
    for (AttributeProto a : attrs) {
      if (a.getName().equals("axes") && (type.equals("Squeeze") || type.equals("Unsqueeze"))) {
        ins.add(constInt64("axes", a.getIntsList().stream().mapToLong(Long::longValue).toArray()));
      } else {
        keep.add(a);
      }
    }
    String out = fresh(type);
    nodes.add(node(type, ins, List.of(out), keep.toArray(new AttributeProto[0])));
    return out;
  }

  private NodeProto node(String type, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
    return NodeProto.newBuilder().setOpType(type).setName(fresh(type.toLowerCase())).addAllInput(inputs)
        .addAllOutput(outputs).addAllAttribute(Arrays.asList(attrs)).build();
  }

  private static AttributeProto attr(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
  }

  private static AttributeProto strAttr(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v)).build();
  }

  private static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      b.addInts(x);
    }
    return b.build();
  }

  private static AttributeProto floats(String name, List<Float> v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS).addAllFloats(v).build();
  }

  private static AttributeProto strings(String name, List<String> v) {
    AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
    v.forEach(s -> b.addStrings(ByteString.copyFromUtf8(s)));
    return b.build();
  }

  private static ValueInfoProto info(String name, DataType type, long[] shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type.onnxCode()).setShape(s))).build();
  }
}

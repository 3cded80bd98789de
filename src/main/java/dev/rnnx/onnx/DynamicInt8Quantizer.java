package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.ref.onnx.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link ModelVariant#INT8}: dynamic int8 quantisation in standard ONNX ops, ONNX Runtime's
 * {@code quantize_dynamic} scheme.
 *
 * <p><b>MatMul and Gemm whose weight B is a 2-D float32 initializer</b> (Dense layers, attention
 * projections, the seq2seq output layer), wherever the node is — Loop bodies included:
 *
 * <pre>
 *   x_q, x_scale, x_zero = DynamicQuantizeLinear(x)        uint8, one scale per tensor, at run time
 *   acc   = MatMulInteger(x_q, w_q, x_zero)                 int32; w_q int8 [K, N], symmetric (zero point 0)
 *   y     = Mul(Cast(acc, float), Mul(x_scale, w_scale))    w_scale float32 [N]: one scale per output column
 *   (Gemm: then Add(y, C); transB is folded into w_q)
 * </pre>
 *
 * A Gemm with {@code transA}, or with {@code alpha} or {@code beta} other than 1 (rnnx writes
 * neither), stays float32.
 *
 * A value quantised for several nodes (Q, K and V projections of one input) is quantised once.
 * Weights: {@code w_scale[n] = max_k |B[k, n]| / 127} (63 with {@code reduceRange}, ONNX Runtime's
 * remedy for the saturating u8·s8 instructions of x86 CPUs without VNNI), {@code w_q = round(B /
 * w_scale)} to nearest even, in float32.
 *
 * <p><b>Recurrent ops' W and R (LSTM, GRU, RNN) and Gather tables (embeddings)</b>: ONNX has no
 * standard quantised recurrent op (ONNX Runtime's {@code com.microsoft.DynamicQuantizeLSTM} is
 * neither standard nor known to rnnx's reference evaluator), so these are stored as int8 with one
 * symmetric scale per row (the tensor flattened to {@code [rows, last axis]}; one per tensor for rows
 * shorter than {@value #MIN_ROW}), and {@code Mul(Cast(w_q, float), scale)} (then a {@code Reshape}
 * for 3-D weights) first in the owning graph restores the float32 tensor under its old name; the op
 * itself runs in float32. Cast and Mul rather than {@code DequantizeLinear} (the same arithmetic, in
 * float32): ONNX Runtime folds them into a float32 constant when it loads the model, so the LSTM,
 * GRU and RNN kernels see constant weights and pre-pack them, while it keeps a
 * {@code DequantizeLinear} unfolded (for its QDQ fusions) and runs it, and the recurrent op on
 * non-constant weights, at every call: measured 0.7–0.8× float32 speed that way.
 *
 * <p>Everything else (biases, layer-norm parameters, positional tables, …) stays float32. A weight
 * that a quantised node and a float32 consumer share keeps its float32 copy for the latter.
 * Requires opset 11 ({@code DynamicQuantizeLinear}).
 */
final class DynamicInt8Quantizer {

  /** The oldest opset the scheme can be written in: DynamicQuantizeLinear. */
  static final int MIN_OPSET = 11;

  /** The shortest row that gets its own scale in a stored tensor; shorter rows share one per tensor. */
  static final int MIN_ROW = 16;

  /** How a node input uses a weight. */
  private enum Kind { DYNAMIC, STORED, FLOAT }

  /** What the transformation did. */
  record Summary(int dynamicNodes, int storedTensors, long int8Values, int floatTensors, long floatValues, int qmax) {
    String describe() {
      return "dynamic int8: " + dynamicNodes + " MatMul/Gemm nodes with int8 weights (symmetric, per output column, ±"
          + qmax + ") and uint8 activations quantised per tensor at run time (DynamicQuantizeLinear -> MatMulInteger);"
          + " " + storedTensors + " recurrent-weight/embedding tensors stored as int8 (a scale per row, or per tensor for rows under " + MIN_ROW + ") and dequantised into"
          + " float32 ops; " + int8Values + " int8 values in all; " + floatTensors + " float32 initializers kept ("
          + floatValues + " values)";
    }
  }

  /** The transformed graph and what was done. */
  record Result(OnnxMl.GraphProto graph, Summary summary) {}

  private final GraphScan scan;
  private final int qmax;
  private final int opset;
  /** Nodes to rewrite: graph id → node index → the weight (B) they read, transposed or not. */
  private final Map<Integer, Map<Integer, Quantized>> dynamic = new HashMap<>();
  /** Weights stored as int8 + Cast and Mul, by name. */
  private final Map<String, Stored> stored = new LinkedHashMap<>();
  /** Initializers removed outright (every use rewritten). */
  private final Set<String> removed = new HashSet<>();
  /** int8 weights for dynamic nodes, by (name, transposed). */
  private final Map<String, Quantized> quantized = new HashMap<>();
  private long int8Values;

  /** An int8 [K, N] weight with one scale per column, owned by graph {@code owner}. */
  private record Quantized(int owner, String weight, String scale, OnnxMl.TensorProto q, OnnxMl.TensorProto s) {}

  /** A weight stored as int8 rows, restored by Cast and Mul (+ Reshape) in graph {@code owner}. */
  private record Stored(int owner, List<OnnxMl.TensorProto> tensors, List<OnnxMl.NodeProto> nodes) {}

  private DynamicInt8Quantizer(OnnxMl.GraphProto main, int opset, boolean reduceRange) {
    this.scan = new GraphScan(main);
    this.qmax = reduceRange ? 63 : 127;
    this.opset = opset;
  }

  /**
   * @param opset the model's default-domain opset
   * @throws OnnxExportException below opset {@value #MIN_OPSET}
   */
  static Result apply(OnnxMl.GraphProto main, int opset, boolean reduceRange) {
    if (opset < MIN_OPSET) {
      throw new OnnxExportException("dynamic int8 quantisation needs opset " + MIN_OPSET + " or newer"
          + " (DynamicQuantizeLinear), the model is opset " + opset + ": export it at opset " + MIN_OPSET + " or newer (rnnx export RUN_DIR --opset 17 --quantize dynamic-int8)");
    }
    return new DynamicInt8Quantizer(main, opset, reduceRange).run();
  }

  private Result run() {
    OpsetTable table = OpsetTable.load();
    for (String op : List.of("DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Add", "Reshape")) {
      table.opVersion(op, opset);
    }
    int floatTensors = 0;
    long floatValues = 0;
    for (var e : scan.initializers().entrySet()) {
      String name = e.getKey();
      OnnxMl.TensorProto t = e.getValue().tensor();
      if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
        continue;
      }
      boolean keepFloat = !plan(name, e.getValue().graph(), t);
      if (keepFloat) {
        floatTensors++;
        floatValues += count(t);
      }
    }
    int[] dynamicNodes = {0};
    OnnxMl.GraphProto graph = scan.rebuild((id, b) -> {
      List<OnnxMl.TensorProto> inits = new ArrayList<>();
      List<OnnxMl.NodeProto> nodes = new ArrayList<>();
      for (OnnxMl.TensorProto t : b.getInitializerList()) {
        Stored s = stored.get(t.getName());
        if (s != null) {
          inits.addAll(s.tensors());
          nodes.addAll(s.nodes());
        } else if (!removed.contains(t.getName())) {
          inits.add(t);
        }
      }
      for (Quantized q : quantized.values()) {
        if (q.owner() == id) {
          inits.add(q.q());
          inits.add(q.s());
        }
      }
      Map<Integer, Quantized> rewrite = dynamic.getOrDefault(id, Map.of());
      Map<String, String[]> activations = new HashMap<>();
      for (int n = 0; n < b.getNodeCount(); n++) {
        Quantized q = rewrite.get(n);
        if (q == null) {
          nodes.add(b.getNode(n));
        } else {
          nodes.addAll(rewrite(b.getNode(n), q, activations));
          dynamicNodes[0]++;
        }
      }
      List<OnnxMl.ValueInfoProto> infos = b.getValueInfoList().stream().filter(v -> !removed.contains(v.getName()))
          .toList();
      return b.clearInitializer().addAllInitializer(inits).clearNode().addAllNode(nodes)
          .clearValueInfo().addAllValueInfo(infos).build();
    });
    return new Result(graph, new Summary(dynamicNodes[0], stored.size(), int8Values, floatTensors, floatValues, qmax));
  }

  /**
   * Decides what becomes of one float32 initializer and prepares its int8 forms.
   *
   * @return whether no float32 copy of it remains
   */
  private boolean plan(String name, int owner, OnnxMl.TensorProto t) {
    if (!scan.replaceable(name)) {
      return false;
    }
    List<GraphScan.Use> uses = scan.uses(name);
    boolean anyStored = false;
    boolean anyFloat = uses.isEmpty();
    List<GraphScan.Use> dynamicUses = new ArrayList<>();
    for (GraphScan.Use u : uses) {
      Kind k = kind(u, t);
      switch (k) {
        case DYNAMIC -> dynamicUses.add(u);
        case STORED -> anyStored = true;
        case FLOAT -> anyFloat = true;
      }
    }
    if (dynamicUses.isEmpty() && !anyStored) {
      return false;
    }
    Value w = TensorProtos.decode(t);
    for (GraphScan.Use u : dynamicUses) {
      boolean transposed = u.proto().getOpType().equals("Gemm") && attr(u.proto(), "transB", 0) != 0;
      Quantized q = quantized.computeIfAbsent(name + (transposed ? "\u0000T" : ""), k -> columns(name, owner, w, transposed));
      dynamic.computeIfAbsent(u.graph(), k -> new HashMap<>()).put(u.node(), q);
    }
    if (anyStored && !anyFloat) {
      stored.put(name, rows(name, owner, w));
      return true;
    }
    if (!anyFloat) {
      removed.add(name);
      return true;
    }
    return false;
  }

  /** How one node input uses a float32 initializer. */
  private Kind kind(GraphScan.Use u, OnnxMl.TensorProto t) {
    OnnxMl.NodeProto n = u.proto();
    String op = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : "";
    switch (op) {
      case "MatMul":
        if (u.slot() == 1 && t.getDimsCount() == 2 && !n.getInput(0).equals(n.getInput(1))) {
          return Kind.DYNAMIC;
        }
        return Kind.FLOAT;
      case "Gemm":
        if (u.slot() == 1 && t.getDimsCount() == 2 && attr(n, "transA", 0) == 0 && floatAttr(n, "alpha", 1f) == 1f
            && !n.getInput(0).equals(n.getInput(1))
            && (n.getInputCount() < 3 || n.getInput(2).isEmpty() || floatAttr(n, "beta", 1f) == 1f)) {
          return Kind.DYNAMIC;
        }
        return Kind.FLOAT;
      case "LSTM":
      case "GRU":
      case "RNN":
        return u.slot() == 1 || u.slot() == 2 ? Kind.STORED : Kind.FLOAT;
      case "Gather":
        return u.slot() == 0 ? Kind.STORED : Kind.FLOAT;
      default:
        return Kind.FLOAT;
    }
  }

  /** B as int8 [K, N] (B or Bᵀ) with one float32 scale per column. */
  private Quantized columns(String name, int owner, Value w, boolean transposed) {
    int rows = (int) w.dim(0);
    int cols = (int) w.dim(1);
    int k = transposed ? cols : rows;
    int n = transposed ? rows : cols;
    float[] scale = new float[n];
    for (int j = 0; j < n; j++) {
      float max = 0;
      for (int i = 0; i < k; i++) {
        max = Math.max(max, Math.abs((float) w.getDouble(transposed ? j * cols + i : i * cols + j)));
      }
      scale[j] = max == 0 ? 1f : max / qmax;
    }
    long[] q = new long[k * n];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < n; j++) {
        q[i * n + j] = quantize((float) w.getDouble(transposed ? j * cols + i : i * cols + j), scale[j]);
      }
    }
    int8Values += q.length;
    String qName = scan.fresh(name + (transposed ? "/transposed" : "") + "/int8");
    String sName = scan.fresh(name + (transposed ? "/transposed" : "") + "/scale");
    return new Quantized(owner, qName, sName,
        TensorProtos.encode(Value.ofLongs(DataType.INT8, new long[] {k, n}, q), qName),
        TensorProtos.encode(Value.ofFloats(new long[] {n}, scale), sName));
  }

  /**
   * A weight as int8 rows of its 2-D view {@code [elements / last axis, last axis]} with one scale
   * per row (per output unit, as ONNX Runtime's per-channel scheme), or with one scale for the whole
   * tensor when rows are shorter than {@value #MIN_ROW}, where a float32 scale per row would cost
   * more than int8 saves (an LSTM's {@code W} on one input feature); and the Cast and Mul (and
   * Reshape back, for other ranks) that restore it.
   */
  private Stored rows(String name, int owner, Value w) {
    long[] shape = w.shape();
    int last = shape.length == 0 ? 1 : (int) shape[shape.length - 1];
    boolean perRow = last >= MIN_ROW;
    int rows = last == 0 ? 0 : w.size() / last;
    int groups = perRow ? rows : 1;
    int group = perRow ? last : w.size();
    float[] scale = new float[groups];
    long[] q = new long[w.size()];
    for (int r = 0; r < groups; r++) {
      float max = 0;
      for (int c = 0; c < group; c++) {
        max = Math.max(max, Math.abs((float) w.getDouble(r * group + c)));
      }
      scale[r] = max == 0 ? 1f : max / qmax;
      for (int c = 0; c < group; c++) {
        q[r * group + c] = quantize((float) w.getDouble(r * group + c), scale[r]);
      }
    }
    int8Values += q.length;
    String qName = scan.fresh(name + "/int8");
    String sName = scan.fresh(name + "/scale");
    List<OnnxMl.TensorProto> tensors = new ArrayList<>();
    tensors.add(TensorProtos.encode(Value.ofLongs(DataType.INT8, new long[] {rows, last}, q), qName));
    tensors.add(TensorProtos.encode(Value.ofFloats(perRow ? new long[] {rows, 1} : new long[0], scale), sName));
    List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    boolean reshape = shape.length != 2;
    String dequantized = reshape ? scan.fresh(name + "/dequantized") : name;
    String asFloat = scan.fresh(name + "/int8_float");
    nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName(scan.fresh(name + "/Cast")).addInput(qName)
        .addOutput(asFloat).addAttribute(Attributes.integer("to", OnnxMl.TensorProto.DataType.FLOAT_VALUE)).build());
    nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName(scan.fresh(name + "/scale_Mul")).addInput(asFloat)
        .addInput(sName).addOutput(dequantized).build());
    if (reshape) {
      String shapeName = scan.fresh(name + "/shape");
      OnnxMl.TensorProto.Builder s = OnnxMl.TensorProto.newBuilder().setName(shapeName)
          .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(shape.length);
      for (long d : shape) {
        s.addInt64Data(d);
      }
      tensors.add(s.build());
      nodes.add(OnnxMl.NodeProto.newBuilder().setOpType("Reshape").setName(scan.fresh(name + "/Reshape"))
          .addInput(dequantized).addInput(shapeName).addOutput(name).build());
    }
    return new Stored(owner, tensors, nodes);
  }

  private long quantize(float v, float scale) {
    return (long) Math.max(-qmax, Math.min(qmax, Math.rint(v / scale)));
  }

  /** The nodes that replace one MatMul or Gemm. */
  private List<OnnxMl.NodeProto> rewrite(OnnxMl.NodeProto node, Quantized q, Map<String, String[]> activations) {
    String base = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
    String x = node.getInput(0);
    List<OnnxMl.NodeProto> out = new ArrayList<>();
    String[] xq = activations.get(x);
    if (xq == null) {
      xq = new String[] {scan.fresh(x + "/uint8"), scan.fresh(x + "/scale"), scan.fresh(x + "/zero_point")};
      out.add(OnnxMl.NodeProto.newBuilder().setOpType("DynamicQuantizeLinear").setName(scan.fresh(x + "/DynamicQuantizeLinear"))
          .addInput(x).addOutput(xq[0]).addOutput(xq[1]).addOutput(xq[2]).build());
      activations.put(x, xq);
    }
    String acc = scan.fresh(base + "/int32");
    out.add(OnnxMl.NodeProto.newBuilder().setOpType("MatMulInteger").setName(scan.fresh(base + "/MatMulInteger"))
        .addInput(xq[0]).addInput(q.weight()).addInput(xq[2]).addOutput(acc).build());
    String accFloat = scan.fresh(base + "/int32_float");
    out.add(OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName(scan.fresh(base + "/Cast"))
        .addInput(acc).addOutput(accFloat).addAttribute(Attributes.integer("to", OnnxMl.TensorProto.DataType.FLOAT_VALUE))
        .build());
    boolean gemm = node.getOpType().equals("Gemm");
    String scales = scan.fresh(base + "/scales");
    out.add(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName(scan.fresh(base + "/scales_Mul"))
        .addInput(xq[1]).addInput(q.scale()).addOutput(scales).build());
    boolean bias = gemm && node.getInputCount() > 2 && !node.getInput(2).isEmpty();
    String product = bias ? scan.fresh(base + "/product") : node.getOutput(0);
    out.add(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName(scan.fresh(base + "/output_Mul"))
        .addInput(accFloat).addInput(scales).addOutput(product).build());
    if (bias) {
      out.add(OnnxMl.NodeProto.newBuilder().setOpType("Add").setName(scan.fresh(base + "/bias_Add"))
          .addInput(product).addInput(node.getInput(2)).addOutput(node.getOutput(0)).build());
    }
    return out;
  }

  private static long count(OnnxMl.TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) {
      n *= d;
    }
    return n;
  }

  private static long attr(OnnxMl.NodeProto n, String name, long dflt) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(OnnxMl.AttributeProto::getI)
        .findFirst().orElse(dflt);
  }

  private static float floatAttr(OnnxMl.NodeProto n, String name, float dflt) {
    for (OnnxMl.AttributeProto a : n.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getF();
      }
    }
    return dflt;
  }
}

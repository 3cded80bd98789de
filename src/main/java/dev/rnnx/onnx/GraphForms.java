package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.spec.Attention;
import dev.rnnx.spec.DType;
import dev.rnnx.spec.Graph;
import dev.rnnx.spec.GraphInput;
import dev.rnnx.spec.GraphMasks;
import dev.rnnx.spec.GraphMerge;
import dev.rnnx.spec.GraphNode;
import dev.rnnx.spec.MultiHeadAttention;
import dev.rnnx.spec.Shape;
import dev.rnnx.weights.Provenance;
import dev.rnnx.weights.Weights;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link Graph} model's one ONNX form, {@code model}: one graph input per graph input (float32
 * {@code [batch, time_<name>, features]} or int64 {@code [batch, time_<name>]}), each layer node
 * through its kind's converter ({@link OnnxConverters}) with the time axis of the graph input its
 * tensor comes from, cross-attention through the same attention ops with separate queries and
 * values, merges as {@code Concat} (axis −1), halves as {@code Slice} on the last axis, chains of
 * {@code Add}, {@code Mul} or {@code Sub}, and an average as the sum times {@code 1/n}; one graph output per output node, named as the node.
 * Masked inputs are compacted ({@link MaskCompaction}, once per input, its lengths every reading
 * recurrent node's {@code sequence_lens}) and the readers' outputs restored, as {@link GraphMasks}
 * plans; compacted values are named {@code <node>/compacted}.
 */
final class GraphForms {

  private GraphForms() {}

  /** Builds and checks the form. */
  static OnnxMl.ModelProto export(Graph model, Weights weights, int opset, Provenance provenance) {
    OpsetTable opsets = OpsetTable.load();
    GraphBuilder graph = new GraphBuilder(model.name(), opset, opsets);
    Map<String, TimeAxis> axes = new HashMap<>();
    for (GraphInput in : model.inputs()) {
      graph.claim(in.name());
      int steps = model.inputTensor(in).shape().dim(1); // fixed where a flatten reads the input's sequence
      Object time = steps != Shape.DYNAMIC ? (Object) steps : in.timeAxis();
      Object[] dims = in.input().tokens() ? new Object[] {"batch", time} : new Object[] {"batch", time, in.input().features()};
      graph.graph().addInput(ValueInfos.valueInfo(in.name(), in.tensor().dtype(), dims));
      axes.put(in.name(), new TimeAxis(graph, in.name() + "/time", in.name(), null));
    }
    Map<String, Shape> shapes = model.tensorShapes();
    Map<String, String> sources = model.timeSources();
    weights = withSharedParameters(model, weights, shapes);
    GraphMasks masks = model.masks();
    Map<String, String> compact = new HashMap<>(); // tensor -> its compacted value's name (GraphMasks)
    Map<String, TimeAxis> maskedAxes = new HashMap<>();
    for (GraphInput in : model.inputs()) {
      if (masks.compacted(in.name())) {
        String lengths = in.name() + "/mask/lengths";
        String compacted = MaskCompaction.emit(graph, in.name(), in.input(), axes.get(in.name()), lengths, in.name() + "/mask/kept");
        compact.put(in.name(), compacted);
        maskedAxes.put(in.name(), new TimeAxis(graph, in.name() + "/masked_time", compacted, lengths));
      }
    }
    for (GraphNode node : model.nodes()) {
      GraphMasks.Mode mode = masks.mode(node.name());
      String source = masks.source(node.name());
      graph.time(mode == GraphMasks.Mode.PLAIN ? axes.get(sources.get(node.name())) : maskedAxes.get(source));
      graph.lengths(mode == GraphMasks.Mode.PLAIN ? null : maskedAxes.get(source).lengths());
      List<String> in = mode == GraphMasks.Mode.PLAIN ? node.inputs() : node.inputs().stream().map(compact::get).toList();
      String out = mode == GraphMasks.Mode.PLAIN ? node.name() : node.name() + "/compacted";
      if (mode != GraphMasks.Mode.PLAIN) {
        compact.put(node.name(), out);
      }
      if (mode == GraphMasks.Mode.READER) { // the recurrent layer on the compacted steps, then its output restored
        Shape read = shapes.get(node.inputs().get(0));
        OnnxConverters.find(node.layer(), opset).convert(node.callLayer(), read, in.get(0), List.of(out), weights, graph);
        if (masks.restored(node.name())) {
          MaskCompaction.restore(graph, source, node.name() + "/restore", source + "/mask/kept", out, node.name(),
              shapes.get(node.name()).rank(), node.callLayer());
        }
      } else if (node.merge() != null && node.merge().half()) { // the last axis [0, w/2) or [w/2, w)
        int half = shapes.get(node.inputs().get(0)).dim(-1) / 2;
        boolean first = node.merge() == GraphMerge.FIRST_HALF;
        graph.node("Slice", node.name() + "/Slice", List.of(in.get(0),
            graph.int64Initializer(node.name() + "/Slice/starts", first ? 0 : half),
            graph.int64Initializer(node.name() + "/Slice/ends", first ? half : 2L * half),
            graph.int64Initializer(node.name() + "/Slice/axes", -1)), List.of(out));
      } else if (node.merge() != null) {
        merge(graph, node, in, out);
      } else if (node.callLayer() instanceof MultiHeadAttention m && node.crossAttention()) {
        AttentionOps.multiHead(graph, m.name(), m.name(), in.get(0), in.get(in.size() - 1), in.get(1), m.heads(), m.keyDim(),
            crossMask(graph, node, m.causal(), axes, sources), weights, out, false);
      } else if (node.callLayer() instanceof Attention a && node.crossAttention()) { // scored on the keys, weighting the values
        String scores = AttentionOps.scores(graph, a.name(), a.score(), in.get(0), in.get(in.size() - 1),
            shapes.get(node.keyInput()).dim(-1), a.name(), weights);
        String attention = AttentionOps.maskedSoftmax(graph, a.name(), scores,
            crossMask(graph, node, a.causal(), axes, sources).forScores(3), 3);
        graph.node("MatMul", a.name() + "/context_MatMul", List.of(attention, in.get(1)), List.of(out));
      } else {
        OnnxConverters.find(node.layer(), opset).convert(node.callLayer(), shapes.get(node.inputs().get(0)), in.get(0), List.of(out), weights,
            graph);
      }
    }
    for (String o : model.outputs()) {
      Shape s = shapes.get(o);
      Object[] dims = new Object[s.rank()];
      for (int i = 0; i < dims.length; i++) {
        dims[i] = s.dim(i) != Shape.DYNAMIC ? (Object) s.dim(i) : i == 0 ? "batch"
            : i == 1 ? model.input(sources.get(o)).timeAxis() : "dim" + i;
      }
      graph.graph().addOutput(ValueInfos.valueInfo(o, DType.FLOAT32, dims));
    }
    String summary = "graph model '" + model.name() + "': inputs " + model.inputs().stream().map(GraphInput::name).toList()
        + ", nodes " + model.nodes().stream().map(n -> n.name() + "(" + n.kind() + ")").collect(Collectors.joining(", "))
        + ", outputs " + model.outputs();
    return OnnxExporter.assemble(graph, summary, model.name(), opset, opsets, provenance);
  }

  /**
   * The weights plus, for each later call of a shared layer ({@link GraphNode#call()}), its renamed
   * layer's parameters as copies of the shared ones (ONNX names are single-assignment, so each call
   * converts under its own names).
   */
  static Weights withSharedParameters(Graph model, Weights weights, Map<String, Shape> shapes) {
    Map<String, dev.rnnx.spec.FloatTensor> all = new java.util.LinkedHashMap<>();
    weights.names().forEach(n -> all.put(n, weights.get(n)));
    int before = all.size();
    for (GraphNode node : model.nodes()) {
      node.sharedParameters(node.inputs().stream().map(shapes::get).toList()).forEach((own, shared) -> all.put(own, weights.get(shared)));
    }
    return all.size() == before ? weights : new Weights(all);
  }

  /**
   * The mask of a cross-attention node: none, or when causal Keras's {@code [Tq, Tk]} lower
   * triangle over the query's and the key's own time axes (query step i sees keys j ≤ i).
   */
  private static AttentionMask crossMask(GraphBuilder graph, GraphNode node, boolean causal, Map<String, TimeAxis> axes,
      Map<String, String> sources) {
    if (!causal) {
      return graph.selfAttentionMask(false);
    }
    return new AttentionMask(graph, node.name() + "/causal_mask", axes.get(sources.get(node.inputs().get(0))),
        axes.get(sources.get(node.keyInput())), true);
  }

  private static void merge(GraphBuilder graph, GraphNode node, List<String> in, String out) {
    String n = node.name();
    GraphMerge merge = node.merge();
    if (merge == GraphMerge.CONCATENATE) {
      graph.node("Concat", n + "/Concat", in, List.of(out), Attributes.integer("axis", -1));
      return;
    }
    String op = merge == GraphMerge.MULTIPLY ? "Mul" : merge == GraphMerge.SUBTRACT ? "Sub" : "Add";
    String acc = in.get(0);
    for (int i = 1; i < in.size(); i++) {
      String next = i == in.size() - 1 && merge != GraphMerge.AVERAGE ? out : n + "/" + op.toLowerCase(java.util.Locale.ROOT) + "_" + i;
      graph.node(op, n + "/" + op + "_" + i, List.of(acc, in.get(i)), List.of(next));
      acc = next;
    }
    if (merge == GraphMerge.AVERAGE) {
      graph.node("Mul", n + "/Mul", List.of(acc, graph.floatScalar(n + "/inverse_count", 1f / in.size())), List.of(out));
    }
  }
}

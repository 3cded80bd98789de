package dev.rnnx.onnx;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.DataType;
import dev.rnnx.ref.onnx.OnnxEvaluator;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.LongTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an exported model on the pure-Java reference evaluator ({@link OnnxEvaluator}, double
 * precision). When the evaluator lacks an op the exporter emits ({@code ReverseSequence}, as of this
 * writing), the graph is run in segments: each run of supported nodes on the evaluator, each
 * unsupported node by a plain-Java kernel here ({@link #reverseSequence}), so every other node
 * still goes through the evaluator.
 */
final class EvaluatorRunner {

  private EvaluatorRunner() {}

  /** The ops this runner computes itself because the evaluator does not (yet). */
  static Set<String> shimmedOps(OnnxMl.ModelProto model) {
    Set<String> supported = OnnxEvaluator.supportedOps().keySet();
    Set<String> shimmed = new LinkedHashSet<>();
    model.getGraph().getNodeList().forEach(n -> {
      if (!supported.contains(n.getOpType())) {
        shimmed.add(n.getOpType());
      }
    });
    return shimmed;
  }

  /** Runs the model on named inputs; returns every graph output by name, in double precision. */
  static Map<String, KerasOracle.Tensor> run(OnnxMl.ModelProto model, Map<String, ? extends Tensor> inputs) {
    Map<String, Integer> types = new HashMap<>();
    model.getGraph().getInputList().forEach(v -> types.put(v.getName(), v.getType().getTensorType().getElemType()));
    Map<String, Value> feeds = new LinkedHashMap<>();
    inputs.forEach((name, t) -> feeds.put(name, toValue(t, types.get(name))));
    Map<String, Value> out = shimmedOps(model).isEmpty() ? new OnnxEvaluator(model).run(feeds) : segmented(model, feeds);
    Map<String, KerasOracle.Tensor> result = new LinkedHashMap<>();
    out.forEach((name, v) -> result.put(name, new KerasOracle.Tensor(v.shape(), v.toDoubleArray())));
    return result;
  }

  private static Value toValue(Tensor t, Integer onnxType) {
    if (t instanceof FloatTensor f) {
      return Value.ofFloats(f.shape(), f.data());
    }
    LongTensor l = (LongTensor) t;
    return onnxType != null && onnxType == OnnxMl.TensorProto.DataType.INT32_VALUE
        ? Value.ofInt32(l.shape(), l.toIntArray())
        : Value.ofInt64(l.shape(), l.data());
  }

  private static Map<String, Value> segmented(OnnxMl.ModelProto model, Map<String, Value> feeds) {
    Set<String> supported = OnnxEvaluator.supportedOps().keySet();
    Map<String, Value> env = new HashMap<>(feeds);
    List<OnnxMl.NodeProto> pending = new ArrayList<>();
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (supported.contains(node.getOpType())) {
        pending.add(node);
        continue;
      }
      flush(model, pending, env);
      if (!node.getOpType().equals("ReverseSequence")) {
        throw new UnsupportedOperationException("neither the evaluator nor the test runner knows " + node.getOpType());
      }
      env.put(node.getOutput(0), reverseSequence(node, env.get(node.getInput(0)), env.get(node.getInput(1))));
    }
    flush(model, pending, env);
    Map<String, Value> out = new LinkedHashMap<>();
    model.getGraph().getOutputList().forEach(v -> out.put(v.getName(), env.get(v.getName())));
    return out;
  }

  /** Runs a run of supported nodes as a model of its own on the evaluator, adding what it produces to {@code env}. */
  private static void flush(OnnxMl.ModelProto model, List<OnnxMl.NodeProto> nodes, Map<String, Value> env) {
    if (nodes.isEmpty()) {
      return;
    }
    Set<String> initializers = new HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("segment")
        .addAllInitializer(model.getGraph().getInitializerList()).addAllNode(nodes);
    Set<String> produced = new LinkedHashSet<>();
    Set<String> consumed = new LinkedHashSet<>();
    for (OnnxMl.NodeProto n : nodes) {
      n.getInputList().stream().filter(i -> !i.isEmpty() && !produced.contains(i) && !initializers.contains(i))
          .forEach(consumed::add);
      n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(produced::add);
    }
    Map<String, Value> feeds = new LinkedHashMap<>();
    OnnxMl.TypeProto anyTensor = OnnxMl.TypeProto.newBuilder().setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()).build();
    for (String c : consumed) {
      g.addInput(OnnxMl.ValueInfoProto.newBuilder().setName(c).setType(anyTensor));
      feeds.put(c, env.get(c));
    }
    produced.forEach(p -> g.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(p).setType(anyTensor)));
    OnnxMl.ModelProto segment = model.toBuilder().setGraph(g).build();
    env.putAll(new OnnxEvaluator(segment).run(feeds));
    nodes.clear();
  }

  /** ONNX's ReverseSequence: reverses the first {@code lens[b]} steps of each batch entry along time_axis. */
  static Value reverseSequence(OnnxMl.NodeProto node, Value x, Value lens) {
    long batchAxis = 1;
    long timeAxis = 0;
    for (OnnxMl.AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals("batch_axis")) {
        batchAxis = a.getI();
      } else if (a.getName().equals("time_axis")) {
        timeAxis = a.getI();
      }
    }
    long[] shape = x.shape();
    double[] in = x.toDoubleArray();
    double[] out = in.clone();
    long[] l = lens.toLongArray();
    int inner = 1;
    for (int d = 2; d < shape.length; d++) {
      inner *= (int) shape[d];
    }
    int time = (int) shape[(int) timeAxis];
    int batch = (int) shape[(int) batchAxis];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < l[b]; t++) {
        int src = (int) (l[b] - 1 - t);
        int from = timeAxis == 0 ? (src * batch + b) * inner : (b * time + src) * inner;
        int to = timeAxis == 0 ? (t * batch + b) * inner : (b * time + t) * inner;
        System.arraycopy(in, from, out, to, inner);
      }
    }
    return Value.ofDoubles(DataType.FLOAT, shape, out);
  }
}

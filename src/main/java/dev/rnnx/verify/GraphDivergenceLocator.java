package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.onnx.RecurrentGateProbe;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.ref.onnx.Values;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Localisation for any ONNX graph, not only rnnx's own, as Polygraphy's "mark all" does: every
 * value some node computes is exposed as a graph output (a recurrent node's unused {@code Y} named
 * first, in the candidate's and the reference's graph alike), the candidate's file runs once on its
 * own runtime, and the values are compared with the reference's ({@link TracingBackend}, the
 * pure-Java evaluator) in topological order: the first over tolerance names its node. When that
 * node is an {@code LSTM}, {@code GRU} or {@code RNN}, the search goes inside it:
 *
 * <ol>
 *   <li>each step's hidden state in {@code Y} is compared in reading order (a backward direction
 *       from its last valid step; steps past a sequence's length after the valid ones): the first
 *       over tolerance is named with its sequence and length;
 *   <li>at that step the reference's node is replayed in Java ({@link RecurrentGateProbe}) from its
 *       initial state to get the previous hidden and cell state, and both nodes, the reference's
 *       and the candidate's (each with its own file's weights and attributes), compute that step's
 *       gates from the same input and state: the gates over tolerance are named, canonical order
 *       (LSTM i, f, c, o; GRU z, r, h). Gates that all agree while the step does not mean the
 *       candidate's runtime computes the node differently from the file's semantics.
 * </ol>
 */
public final class GraphDivergenceLocator {

  private static final Set<String> RECURRENT = Set.of("RNN", "GRU", "LSTM");

  private GraphDivergenceLocator() {}

  /**
   * Localises a candidate's divergence from a tracing reference on one case.
   *
   * @param reference the reference; when it runs an ONNX file ({@link OnnxFileBackend}) that file's
   *     recurrent nodes get their {@code Y} named too, so steps can be compared
   * @param candidate the failing ONNX backend
   * @param pc the case (one the candidate failed)
   * @param criterion the tolerances intermediate values are held to
   */
  public static Divergence locate(TracingBackend reference, OnnxFileBackend candidate, ParityCase pc, Criterion criterion) {
    OnnxMl.ModelProto onnx = nameRecurrentOutputs(OnnxModels.read(candidate.onnxFile()));
    OnnxMl.ModelProto refModel = null;
    LinkedHashMap<String, FloatTensor> expected;
    if (reference instanceof OnnxFileBackend rf && rf.onnxFile() != null) {
      refModel = nameRecurrentOutputs(OnnxModels.read(rf.onnxFile()));
      try (OnnxReferenceBackend named = new OnnxReferenceBackend(rf.onnxFile(), refModel)) {
        expected = named.intermediates(pc.inputs());
      }
    } else {
      expected = reference.intermediates(pc.inputs());
    }
    OnnxMl.ModelProto tapped = OnnxTaps.expose(onnx, onnx.getGraph().toBuilder(), new ArrayList<>(expected.keySet()));
    Map<String, FloatTensor> got = DivergenceLocator.runTapped(candidate, tapped, pc.inputs());
    List<String> missing = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, FloatTensor> e : expected.entrySet()) {
      FloatTensor actual = got.get(e.getKey());
      if (actual == null) {
        missing.add(e.getKey());
        index++;
        continue;
      }
      ElementwiseComparison c = ElementwiseComparison.compare(pc.name(), reference.name(), candidate.name(), e.getKey(),
          e.getValue(), actual, criterion.withStat(ErrorStat.ELEMWISE), false);
      if (!c.passed()) {
        OnnxMl.NodeProto producer = OnnxTaps.producer(onnx.getGraph(), e.getKey());
        String nodeName = producer == null ? e.getKey() : producer.getName().isEmpty() ? producer.getOpType() : producer.getName();
        String op = producer == null ? "?" : producer.getOpType();
        String head = String.format(Locale.ROOT, "%s (%s): value '%s' of node '%s' (%s) is the first that exceeds tolerance"
            + " (max abs err %.3e at %s)%s", candidate.name(), pc.name(), e.getKey(), nodeName, op, c.maxAbsErr(),
            c.problem() != null && c.problem().startsWith("shape") ? "-" : DivergenceLocator.worstPosition(e.getValue(), actual),
            missing.isEmpty() ? "" : "; the candidate computes no " + missing + " (a node removed or rewired)");
        if (producer != null && RECURRENT.contains(op) && (c.problem() == null || !c.problem().startsWith("shape"))) {
          try {
            return new RecurrentSteps(onnx, refModel, producer, expected, got, pc, criterion).locate(candidate.name(),
                nodeName, index, e.getKey(), c.maxAbsErr(), head);
          } catch (RuntimeException ex) {
            head += "; steps not compared: " + ex.getMessage();
          }
        }
        return new Divergence(candidate.name(), pc.name(), nodeName, index, e.getKey(), -1, -1, -1, Map.of(), c.maxAbsErr(),
            null, head);
      }
      index++;
    }
    return Divergence.notFound(candidate.name(), pc.name(), "every traced value is within tolerance"
        + (missing.isEmpty() ? "" : "; the candidate computes no " + missing));
  }

  /** The model with every recurrent node's empty {@code Y} named {@code <node index>/Y} + {@link OnnxTaps#TAP_SUFFIX}. */
  static OnnxMl.ModelProto nameRecurrentOutputs(OnnxMl.ModelProto m) {
    OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
    boolean changed = false;
    for (int i = 0; i < g.getNodeCount(); i++) {
      OnnxMl.NodeProto n = g.getNode(i);
      if (RECURRENT.contains(n.getOpType()) && n.getDomain().isEmpty() && (n.getOutputCount() == 0 || n.getOutput(0).isEmpty())) {
        OnnxMl.NodeProto.Builder b = n.toBuilder();
        if (b.getOutputCount() == 0) {
          b.addOutput("");
        }
        b.setOutput(0, "node" + i + "/Y" + OnnxTaps.TAP_SUFFIX);
        g.setNode(i, b);
        changed = true;
      }
    }
    return changed ? m.toBuilder().setGraph(g).build() : m;
  }

  /** One side's values by name: computed values, then the case's inputs, then initializers. */
  static Value lookup(String name, Map<String, FloatTensor> computed, Map<String, ? extends Tensor> inputs,
      OnnxMl.GraphProto graph) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    FloatTensor f = computed.get(name);
    if (f != null) {
      return Values.toValue(f);
    }
    Tensor t = inputs.get(name);
    if (t != null) {
      return Values.toValue(t);
    }
    OnnxMl.TensorProto init = OnnxTaps.initializers(graph).get(name);
    return init == null ? null : TensorProtos.decode(init);
  }
}

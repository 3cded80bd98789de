package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.onnx.OnnxModels;
import dev.rnnx.ref.DoubleTensor;
import dev.rnnx.ref.LayerTrace;
import dev.rnnx.ref.RecurrentTrace;
import dev.rnnx.ref.RefTrace;
import dev.rnnx.ref.ReferenceModel;
import dev.rnnx.ref.onnx.RecurrentGateProbe;
import dev.rnnx.ref.onnx.TensorProtos;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.Bidirectional;
import dev.rnnx.spec.FloatTensor;
import dev.rnnx.spec.Layer;
import dev.rnnx.spec.Sequential;
import dev.rnnx.spec.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds where a failing ONNX candidate first departs from the reference, Polygraphy's "mark all
 * outputs" bisection made structural:
 *
 * <ol>
 *   <li>The candidate's own ONNX file is copied with every layer's output ({@code <layer>/output},
 *       the graph outputs for the last layer) and every recurrent node's per-step output {@code Y}
 *       exposed as graph outputs, and run on the candidate's own runtime (same engine, same
 *       optimisation level, same process isolation).
 *   <li>The reference forward is traced ({@link ReferenceModel#trace}) on the same inputs, and the
 *       layers are compared in model order under the output criterion's tolerances: the first
 *       layer whose output exceeds them is the diverging layer.
 *   <li>Inside a diverging recurrent layer, each step's hidden state ({@code Y}, aligned with input
 *       time in both directions) is compared with the trace's, in reading order; steps past a
 *       sequence's length, where the reference holds zeros, come after the valid ones. The first
 *       step over tolerance is named, with its sequence and length.
 *   <li>At that step the candidate's recurrent node is replayed in Java
 *       ({@link RecurrentGateProbe}) with its own weights and attributes, fed the reference's input
 *       and previous state, and each gate is compared with the trace's: the gates over tolerance
 *       are named. When every step agrees but the layer output does not, the fault is in the ops
 *       around the node (reordering a backward direction, merging directions), and the message
 *       says so.
 * </ol>
 *
 * <p>SavedModel backends ({@code djl-tf}, {@code tf-java}) expose no layer taps here: rnnx's
 * SavedModel signature holds only the model outputs, and TensorFlow Java cannot fetch graph
 * internals through DJL. For them the report shows per-output error growth against sequence
 * length only.
 */
public final class DivergenceLocator {

  private DivergenceLocator() {}

  /**
   * Localises a candidate's divergence on one case.
   *
   * @param reference the rnnx model's reference forward
   * @param candidate the failing ONNX backend
   * @param pc the case to search on (one the candidate failed)
   * @param criterion the tolerances intermediate values are held to
   */
  public static Divergence locate(ReferenceModel reference, OnnxFileBackend candidate, ParityCase pc, Criterion criterion) {
    Sequential model = reference.model();
    OnnxMl.ModelProto onnx = OnnxModels.read(candidate.onnxFile());
    OnnxMl.GraphProto.Builder g = onnx.getGraph().toBuilder();
    List<Layer> layers = model.layers();
    Map<String, String> layerValue = new LinkedHashMap<>();
    Map<String, OnnxMl.NodeProto> recurrentNode = new LinkedHashMap<>();
    Map<String, String> yValue = new LinkedHashMap<>();
    List<String> taps = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String value = i == layers.size() - 1 ? model.outputs().get(0).name() : layer.name() + "/output";
      layerValue.put(layer.name(), value);
      taps.add(value);
      if (layer.recurrent()) { // attention layers have no RNN/GRU/LSTM node: the search below finds none
        for (OnnxMl.NodeProto n : g.getNodeList()) {
          if (Set.of("RNN", "GRU", "LSTM").contains(n.getOpType()) && n.getName().startsWith(layer.name() + "/")) {
            recurrentNode.put(layer.name(), n);
            String y = OnnxTaps.nameOutput(g, n.getName(), 0);
            yValue.put(layer.name(), y);
            taps.add(y);
            break;
          }
        }
      }
    }
    OnnxMl.ModelProto tapped = OnnxTaps.expose(onnx, g, taps);
    Map<String, FloatTensor> got = runTapped(candidate, tapped, pc.inputs());
    RefTrace trace = reference.trace(pc.inputs());

    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      LayerTrace lt = trace.layers().get(i);
      String value = layerValue.get(layer.name());
      FloatTensor actual = got.get(value);
      if (actual == null) {
        continue;
      }
      FloatTensor expected = lt.output().toFloat();
      ElementwiseComparison c = ElementwiseComparison.compare(pc.name(), "ref", candidate.name(), value, expected, actual,
          criterion.withStat(ErrorStat.ELEMWISE), false);
      if (c.passed()) {
        continue;
      }
      String head = String.format(Locale.ROOT, "%s (%s): layer %d '%s' (%s) is the first whose output exceeds tolerance"
          + " (max abs err %.3e at %s, %d of %d elements)", candidate.name(), pc.name(), i, layer.name(), layer.kind(),
          c.maxAbsErr(), worstPosition(expected, actual), c.failing(), c.elements());
      if (c.problem() != null && c.problem().startsWith("shape")) {
        return new Divergence(candidate.name(), pc.name(), layer.name(), i, value, -1, -1, -1, Map.of(), c.maxAbsErr(), null,
            head + "; " + c.problem());
      }
      OnnxMl.NodeProto node = recurrentNode.get(layer.name());
      FloatTensor y = node == null ? null : got.get(yValue.get(layer.name()));
      if (node == null || y == null || lt.directions().isEmpty()) {
        return new Divergence(candidate.name(), pc.name(), layer.name(), i, value, -1, -1, -1, Map.of(), c.maxAbsErr(), null,
            head);
      }
      return insideRecurrent(candidate.name(), pc, i, layer, lt, node, y, onnx, criterion, c.maxAbsErr(), head, value);
    }
    return Divergence.notFound(candidate.name(), pc.name(), "every layer's output is within tolerance on this case,"
        + " so the difference arises only in how the final outputs are read (names, order or shapes)");
  }

  private static Divergence insideRecurrent(String candidate, ParityCase pc, int index, Layer layer, LayerTrace lt,
      OnnxMl.NodeProto node, FloatTensor y, OnnxMl.ModelProto onnx, Criterion criterion, double layerErr, String head,
      String value) {
    int layoutBatchFirst = attrInt(node, "layout", 0) == 1 ? 1 : 0;
    List<RecurrentTrace> dirs = lt.directions();
    int batch = lt.input().dim(0);
    int time = lt.input().dim(1);
    int hidden = (int) y.dim(3);
    double[] stepErrors = new double[time];
    int bestP = Integer.MAX_VALUE;
    int bestB = -1;
    int bestT = -1;
    int bestD = -1;
    for (int d = 0; d < dirs.size(); d++) {
      RecurrentTrace rt = dirs.get(d);
      DoubleTensor ref = rt.states().get("h");
      int[] lengths = rt.lengths();
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < time; t++) {
          double worst = 0;
          boolean fails = false;
          for (int j = 0; j < hidden; j++) {
            float r = (float) ref.data()[(b * time + t) * hidden + j];
            float c = y.data()[yIndex(layoutBatchFirst, t, onnxDirection(dirs, d), b, j, time, dirs.size(), batch, hidden)];
            double a = ErrorStats.absError(r, c, false);
            double q = ErrorStats.relError(a, r);
            worst = Double.isNaN(a) ? Double.POSITIVE_INFINITY : Math.max(worst, a);
            fails |= !(a <= criterion.atol()) && !(q <= criterion.rtol());
          }
          stepErrors[t] = Math.max(stepErrors[t], worst);
          if (fails) {
            int len = lengths[b];
            int p = t >= len ? len + t : rt.backwards() ? len - 1 - t : t;
            if (p < bestP) {
              bestP = p;
              bestB = b;
              bestT = t;
              bestD = d;
            }
          }
        }
      }
    }
    if (bestB < 0) {
      return new Divergence(candidate, pc.name(), layer.name(), index, value, -1, -1, -1, Map.of(), layerErr, stepErrors,
          head + "; its recurrent node's per-step states all agree with the reference, so the error is in the ops that"
              + " turn them into the layer's output (re-reversing a backward direction, merging directions, squeezes)");
    }
    RecurrentTrace rt = dirs.get(bestD);
    int len = rt.lengths()[bestB];
    String dirNote = dirs.size() > 1 ? " of the " + rt.direction() + " direction" : rt.backwards() ? " (read backwards)" : "";
    String where = String.format(Locale.ROOT, "; first diverging step: t=%d of sequence %d%s (length %d, max abs err %.3e)",
        bestT, bestB, dirNote, len, stepErrors[bestT]);
    if (bestT >= len) {
      return new Divergence(candidate, pc.name(), layer.name(), index, value, bestB, bestT, len, Map.of(), layerErr,
          stepErrors, head + where + ", a step past the sequence's length where the reference holds zeros: the candidate"
              + " reads padding steps (sequence lengths ignored, e.g. sequence_lens dropped)");
    }
    Map<String, Double> gates = new LinkedHashMap<>();
    String gateNote;
    try {
      gates = divergingGates(node, onnx, onnxDirection(dirs, bestD), rt, lt, pc, layer, bestB, bestT, criterion);
      gateNote = gates.isEmpty()
          ? (rt.gateNames().isEmpty() ? "" : "; replayed with the reference's input and state, every gate agrees"
              + " (the state update or the step order differs)")
          : "; gates over tolerance at that step (replayed with the reference's input and previous state): "
              + describeGates(gates);
    } catch (RuntimeException e) {
      gateNote = "; gates not replayed: " + e.getMessage();
    }
    return new Divergence(candidate, pc.name(), layer.name(), index, value, bestB, bestT, len, gates, layerErr,
        stepErrors, head + where + gateNote);
  }

  static String describeGates(Map<String, Double> gates) {
    List<String> parts = new ArrayList<>();
    gates.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s (max abs err %.3e)", k, v)));
    String first = gates.keySet().iterator().next();
    return "gate " + first + " first in canonical order; all: " + String.join(", ", parts);
  }

  /** Replays one step of the candidate's node and compares its gates with the reference trace's. */
  private static Map<String, Double> divergingGates(OnnxMl.NodeProto node, OnnxMl.ModelProto onnx, int d,
      RecurrentTrace rt, LayerTrace lt, ParityCase pc, Layer layer, int b, int t, Criterion criterion) {
    if (rt.gateNames().isEmpty()) {
      return Map.of();
    }
    Map<String, OnnxMl.TensorProto> inits = OnnxTaps.initializers(onnx.getGraph());
    Value w = initializer(inits, node, 1, "W");
    Value r = initializer(inits, node, 2, "R");
    Value bias = node.getInputCount() > 3 && !node.getInput(3).isEmpty() ? initializer(inits, node, 3, "B") : null;
    Value p = node.getOpType().equals("LSTM") && node.getInputCount() > 7 && !node.getInput(7).isEmpty()
        ? initializer(inits, node, 7, "P") : null;
    RecurrentGateProbe probe = new RecurrentGateProbe(node, w, r, bias, p, d);
    int hidden = probe.hidden();
    DoubleTensor x = lt.input();
    int time = x.dim(1);
    int features = x.dim(2);
    double[] xv = new double[features];
    System.arraycopy(x.data(), (b * time + t) * features, xv, 0, features);
    int len = rt.lengths()[b];
    int prevT = rt.backwards() ? t + 1 : t - 1;
    boolean first = rt.backwards() ? t == len - 1 : t == 0;
    double[] h = first ? initialState(pc, layer, rt, "h", b, hidden) : row(rt.states().get("h"), b, prevT, time, hidden);
    double[] c = rt.states().containsKey("c")
        ? (first ? initialState(pc, layer, rt, "c", b, hidden) : row(rt.states().get("c"), b, prevT, time, hidden))
        : new double[hidden];
    RecurrentGateProbe.Step step = probe.step(xv, h, c);
    Map<String, Double> out = new LinkedHashMap<>();
    for (String gate : rt.gateNames()) {
      double[] ref = row(rt.gates().get(gate), b, t, time, hidden);
      double[] got = step.gates().get(gate);
      double worst = 0;
      boolean fails = false;
      for (int j = 0; j < hidden; j++) {
        float rv = (float) ref[j];
        float cv = (float) got[j];
        double a = ErrorStats.absError(rv, cv, false);
        worst = Math.max(worst, a);
        fails |= !(a <= criterion.atol()) && !(ErrorStats.relError(a, rv) <= criterion.rtol());
      }
      if (fails) {
        out.put(gate, worst);
      }
    }
    return out;
  }

  private static Value initializer(Map<String, OnnxMl.TensorProto> inits, OnnxMl.NodeProto node, int input, String what) {
    OnnxMl.TensorProto t = node.getInputCount() > input ? inits.get(node.getInput(input)) : null;
    if (t == null) {
      throw new IllegalArgumentException("the node's " + what + " is not an initializer");
    }
    return TensorProtos.decode(t);
  }

  private static double[] initialState(ParityCase pc, Layer layer, RecurrentTrace rt, String state, int b, int hidden) {
    String key = layer instanceof Bidirectional ? rt.direction() + "_" + state : state;
    Tensor t = layer.stateInputNames().contains(key) ? pc.inputs().get(Sequential.stateInputName(layer, key)) : null;
    double[] out = new double[hidden];
    if (t instanceof FloatTensor f) {
      for (int j = 0; j < hidden; j++) {
        out[j] = f.data()[b * hidden + j];
      }
    }
    return out;
  }

  private static double[] row(DoubleTensor v, int b, int t, int time, int hidden) {
    double[] out = new double[hidden];
    System.arraycopy(v.data(), (b * time + t) * hidden, out, 0, hidden);
    return out;
  }

  /**
   * The ONNX direction of trace {@code d}: ONNX's direction 1 is the one that reads backwards, which
   * is the trace's {@code forward} half in a bidirectional around a {@code go_backwards} layer.
   */
  static int onnxDirection(List<RecurrentTrace> dirs, int d) {
    return dirs.size() == 2 ? (dirs.get(d).backwards() ? 1 : 0) : 0;
  }

  static int yIndex(int batchFirst, int t, int d, int b, int j, int time, int dirs, int batch, int hidden) {
    return batchFirst == 0 ? ((t * dirs + d) * batch + b) * hidden + j : ((b * time + t) * dirs + d) * hidden + j;
  }

  static long attrInt(OnnxMl.NodeProto n, String name, long dflt) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(OnnxMl.AttributeProto::getI)
        .findFirst().orElse(dflt);
  }

  /** The position of the largest error, e.g. {@code [3, 12, 0]}. */
  static String worstPosition(FloatTensor expected, FloatTensor actual) {
    int worst = 0;
    double w = -1;
    for (int i = 0; i < expected.size(); i++) {
      double a = Math.abs((double) expected.data()[i] - actual.data()[i]);
      if (Double.isNaN(a) || a > w) {
        w = Double.isNaN(a) ? Double.POSITIVE_INFINITY : a;
        worst = i;
        if (Double.isNaN(a)) {
          break;
        }
      }
    }
    return NonFiniteValue.position(expected.shape(), worst);
  }

  /**
   * Localises a candidate's divergence against a reference that names its intermediate values
   * ({@link TracingBackend}), in any ONNX graph: {@link GraphDivergenceLocator#locate}.
   */
  public static Divergence locateValues(TracingBackend reference, OnnxFileBackend candidate, ParityCase pc,
      Criterion criterion) {
    return GraphDivergenceLocator.locate(reference, candidate, pc, criterion);
  }

  static Map<String, FloatTensor> runTapped(OnnxFileBackend candidate, OnnxMl.ModelProto tapped,
      Map<String, ? extends Tensor> inputs) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("rnnx-taps-");
      Path file = dir.resolve("tapped.onnx");
      Files.write(file, tapped.toByteArray());
      try (Backend b = candidate.reopen(file)) {
        return b.run(inputs);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tapped model", e);
    } finally {
      if (dir != null) {
        try {
          Files.deleteIfExists(dir.resolve("tapped.onnx"));
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // a temporary file
        }
      }
    }
  }
}

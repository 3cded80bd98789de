package dev.rnnx.verify;

import ai.onnx.proto.OnnxMl;
import dev.rnnx.ref.onnx.RecurrentGateProbe;
import dev.rnnx.ref.onnx.Value;
import dev.rnnx.spec.FloatTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inside a diverging {@code RNN}, {@code GRU} or {@code LSTM} node of any ONNX graph
 * ({@link GraphDivergenceLocator}): the first step whose hidden state in {@code Y} exceeds tolerance,
 * then the gates of that step, the reference's node and the candidate's node each replayed in Java
 * ({@link RecurrentGateProbe}) with its own file's weights from the reference's input and previous
 * state.
 */
final class RecurrentSteps {

  private final OnnxMl.ModelProto candidateModel;
  private final OnnxMl.ModelProto referenceModel;
  private final OnnxMl.NodeProto node;
  private final Map<String, FloatTensor> expected;
  private final Map<String, FloatTensor> got;
  private final ParityCase pc;
  private final Criterion criterion;

  /**
   * @param candidateModel the candidate's graph (recurrent outputs named)
   * @param referenceModel the reference's graph (recurrent outputs named), or {@code null} when the
   *     reference runs no ONNX file (the candidate's node is then replayed for both sides)
   * @param node the diverging node, in the candidate's graph
   * @param expected the reference's values by name
   * @param got the candidate's values by name
   */
  RecurrentSteps(OnnxMl.ModelProto candidateModel, OnnxMl.ModelProto referenceModel, OnnxMl.NodeProto node,
      Map<String, FloatTensor> expected, Map<String, FloatTensor> got, ParityCase pc, Criterion criterion) {
    this.candidateModel = candidateModel;
    this.referenceModel = referenceModel;
    this.node = node;
    this.expected = expected;
    this.got = got;
    this.pc = pc;
    this.criterion = criterion;
  }

  Divergence locate(String candidate, String nodeName, int index, String value, double valueErr, String head) {
    String yName = node.getOutput(0);
    FloatTensor yRef = expected.get(yName);
    FloatTensor yGot = got.get(yName);
    if (yRef == null || yGot == null) {
      throw new IllegalArgumentException("the node's Y was not computed by both sides");
    }
    boolean batchFirst = DivergenceLocator.attrInt(node, "layout", 0) == 1;
    String direction = attrString(node, "direction", "forward");
    int dirs = direction.equals("bidirectional") ? 2 : 1;
    int time = (int) yRef.dim(batchFirst ? 1 : 0);
    int batch = (int) yRef.dim(batchFirst ? 0 : 2);
    int hidden = (int) yRef.dim(3);
    int[] lengths = lengths(batch, time);
    double[] stepErrors = new double[time];
    int bestP = Integer.MAX_VALUE;
    int bestB = -1;
    int bestT = -1;
    int bestD = -1;
    for (int d = 0; d < dirs; d++) {
      boolean backwards = d == 1 || direction.equals("reverse");
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < time; t++) {
          double worst = 0;
          boolean fails = false;
          for (int j = 0; j < hidden; j++) {
            int at = DivergenceLocator.yIndex(batchFirst ? 1 : 0, t, d, b, j, time, dirs, batch, hidden);
            float r = yRef.data()[at];
            float c = yGot.data()[at];
            double a = ErrorStats.absError(r, c, false);
            worst = Double.isNaN(a) ? Double.POSITIVE_INFINITY : Math.max(worst, a);
            fails |= !(a <= criterion.atol()) && !(ErrorStats.relError(a, r) <= criterion.rtol());
          }
          stepErrors[t] = Math.max(stepErrors[t], worst);
          int len = lengths[b];
          int p = t >= len ? len + t : backwards ? len - 1 - t : t;
          if (fails && p < bestP) {
            bestP = p;
            bestB = b;
            bestT = t;
            bestD = d;
          }
        }
      }
    }
    if (bestB < 0) {
      return new Divergence(candidate, pc.name(), nodeName, index, value, -1, -1, -1, Map.of(), valueErr, stepErrors,
          head + "; every step of its Y agrees with the reference, so the difference is in its final states only");
    }
    boolean backwards = bestD == 1 || direction.equals("reverse");
    int len = lengths[bestB];
    String dirNote = dirs > 1 ? " of the " + (bestD == 0 ? "forward" : "backward") + " direction"
        : backwards ? " (read backwards)" : "";
    String where = String.format(Locale.ROOT, "; first diverging step: t=%d of sequence %d%s (length %d, max abs err %.3e)",
        bestT, bestB, dirNote, len, stepErrors[bestT]);
    if (bestT >= len) {
      return new Divergence(candidate, pc.name(), nodeName, index, value, bestB, bestT, len, Map.of(), valueErr, stepErrors,
          head + where + ", a step past the sequence's length: the candidate reads padding steps");
    }
    Map<String, Double> gates = new LinkedHashMap<>();
    String gateNote;
    try {
      gates = gates(bestD, bestB, bestT, backwards, time, batchFirst, dirs, batch, hidden);
      gateNote = gates.isEmpty()
          ? "; replayed with each file's own weights from the reference's input and state, every gate agrees: the"
              + " candidate's runtime computes the node differently from the file's semantics"
          : "; gates over tolerance at that step (each file's node replayed from the reference's input and previous"
              + " state): " + DivergenceLocator.describeGates(gates);
    } catch (RuntimeException e) {
      gateNote = "; gates not replayed: " + e.getMessage();
    }
    return new Divergence(candidate, pc.name(), nodeName, index, value, bestB, bestT, len, gates, valueErr, stepErrors,
        head + where + gateNote);
  }

  private Map<String, Double> gates(int d, int b, int t, boolean backwards, int time, boolean batchFirst, int dirs,
      int batch, int hidden) {
    OnnxMl.ModelProto refSide = referenceModel != null ? referenceModel : candidateModel;
    OnnxMl.NodeProto refNode = counterpart(refSide.getGraph());
    RecurrentGateProbe refProbe = probe(refNode, expected, refSide.getGraph(), d);
    RecurrentGateProbe candProbe = probe(node, got, candidateModel.getGraph(), d);
    Value x = GraphDivergenceLocator.lookup(refNode.getInput(0), expected, pc.inputs(), refSide.getGraph());
    if (x == null) {
      throw new IllegalArgumentException("the node's input X is not known");
    }
    double[] xs = x.toDoubleArray();
    int features = (int) x.dim(2);
    double[] h = initial(refNode, 5, expected, refSide, d, b, dirs, batch, hidden, batchFirst);
    double[] c = initial(refNode, 6, expected, refSide, d, b, dirs, batch, hidden, batchFirst);
    int len = lengths(batch, time)[b];
    int first = backwards ? len - 1 : 0;
    for (int s = first; s != t; s += backwards ? -1 : 1) {
      RecurrentGateProbe.Step st = refProbe.step(row(xs, s, b, time, batch, features, batchFirst), h, c);
      h = st.h();
      c = st.c() != null ? st.c() : c;
    }
    double[] xt = row(xs, t, b, time, batch, features, batchFirst);
    Map<String, double[]> want = refProbe.step(xt, h, c).gates();
    Map<String, double[]> have = candProbe.step(xt, h, c).gates();
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> g : want.entrySet()) {
      double[] ref = g.getValue();
      double[] cand = have.get(g.getKey());
      double worst = 0;
      boolean fails = false;
      for (int j = 0; j < ref.length; j++) {
        float rv = (float) ref[j];
        double a = ErrorStats.absError(rv, (float) cand[j], false);
        worst = Math.max(worst, a);
        fails |= !(a <= criterion.atol()) && !(ErrorStats.relError(a, rv) <= criterion.rtol());
      }
      if (fails) {
        out.put(g.getKey(), worst);
      }
    }
    return out;
  }

  /** The node of the reference's graph that matches the candidate's: same name, else same position and op. */
  private OnnxMl.NodeProto counterpart(OnnxMl.GraphProto g) {
    List<OnnxMl.NodeProto> nodes = g.getNodeList();
    for (OnnxMl.NodeProto n : nodes) {
      if (!node.getName().isEmpty() && n.getName().equals(node.getName()) && n.getOpType().equals(node.getOpType())) {
        return n;
      }
    }
    int i = candidateModel.getGraph().getNodeList().indexOf(node);
    if (i >= 0 && i < nodes.size() && nodes.get(i).getOpType().equals(node.getOpType())) {
      return nodes.get(i);
    }
    throw new IllegalArgumentException("the reference's graph has no node matching '" + node.getName() + "'");
  }

  private RecurrentGateProbe probe(OnnxMl.NodeProto n, Map<String, FloatTensor> values, OnnxMl.GraphProto g, int d) {
    Value w = require(n, 1, "W", values, g);
    Value r = require(n, 2, "R", values, g);
    Value bias = input(n, 3, values, g);
    Value peep = n.getOpType().equals("LSTM") ? input(n, 7, values, g) : null;
    return new RecurrentGateProbe(n, w, r, bias, peep, d);
  }

  private Value input(OnnxMl.NodeProto n, int i, Map<String, FloatTensor> values, OnnxMl.GraphProto g) {
    return n.getInputCount() > i ? GraphDivergenceLocator.lookup(n.getInput(i), values, pc.inputs(), g) : null;
  }

  private Value require(OnnxMl.NodeProto n, int i, String what, Map<String, FloatTensor> values, OnnxMl.GraphProto g) {
    Value v = input(n, i, values, g);
    if (v == null) {
      throw new IllegalArgumentException("the node's " + what + " is not known");
    }
    return v;
  }

  /** The initial state {@code initial_h} (input 5) or {@code initial_c} (6) of direction d, row b; zeros when absent. */
  private double[] initial(OnnxMl.NodeProto n, int i, Map<String, FloatTensor> values, OnnxMl.ModelProto side, int d, int b,
      int dirs, int batch, int hidden, boolean batchFirst) {
    double[] out = new double[hidden];
    Value v = input(n, i, values, side.getGraph());
    if (v != null) {
      double[] all = v.toDoubleArray();
      int base = batchFirst ? (b * dirs + d) * hidden : (d * batch + b) * hidden;
      System.arraycopy(all, base, out, 0, hidden);
    }
    return out;
  }

  private int[] lengths(int batch, int time) {
    int[] out = new int[batch];
    java.util.Arrays.fill(out, time);
    OnnxMl.ModelProto side = referenceModel != null ? referenceModel : candidateModel;
    Value v = input(node, 4, expected, side.getGraph());
    if (v != null) {
      long[] l = v.toLongArray();
      for (int b = 0; b < batch && b < l.length; b++) {
        out[b] = (int) Math.max(0, Math.min(time, l[b]));
      }
    }
    return out;
  }

  private static double[] row(double[] x, int t, int b, int time, int batch, int features, boolean batchFirst) {
    double[] out = new double[features];
    int base = batchFirst ? (b * time + t) * features : (t * batch + b) * features;
    System.arraycopy(x, base, out, 0, features);
    return out;
  }

  private static String attrString(OnnxMl.NodeProto n, String name, String dflt) {
    return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).map(a -> a.getS().toStringUtf8())
        .findFirst().orElse(dflt);
  }
}

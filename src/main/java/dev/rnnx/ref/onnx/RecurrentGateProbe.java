package dev.rnnx.ref.onnx;

import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One time step of one direction of an ONNX {@code RNN}, {@code GRU} or {@code LSTM} node, laid
 * open: the gate activations it computes from a given input and previous state, with the node's
 * own attributes (activations with their alpha and beta, {@code clip}, {@code linear_before_reset},
 * {@code input_forget}) and weights. The parity verifier replays a candidate model's node with it,
 * feeding the reference's input and previous state, to name the gate that first disagrees with the
 * reference.
 *
 * <p>Gates are named and ordered canonically, as {@code dev.rnnx.ref.RecurrentTrace} names them:
 * LSTM {@code i, f, c, o} ({@code c} the candidate {@code g(…)}), GRU {@code z, r, h} ({@code h} the
 * candidate state), none for a simple RNN. The arithmetic is the same as the evaluator's cells
 * ({@link LstmCell}, {@link GruCell}, {@link SimpleRnnCell}).
 */
public final class RecurrentGateProbe {

  /**
   * What one step computed.
   *
   * @param gates each gate's activations, canonical order
   * @param h the new hidden state
   * @param c the new cell state (LSTM), or {@code null}
   */
  public record Step(Map<String, double[]> gates, double[] h, double[] c) {}

  private final String op;
  private final GateWeights w;
  private final List<RnnActivation> acts;
  private final double clip;
  private final boolean linearBeforeReset;
  private final boolean inputForget;

  /**
   * Prepares one direction of a node.
   *
   * @param node the recurrent node
   * @param w its {@code W [dirs, G·H, I]}
   * @param r its {@code R [dirs, G·H, H]}
   * @param b its {@code B [dirs, 2·G·H]}, or {@code null}
   * @param p its {@code P [dirs, 3H]} (LSTM), or {@code null}
   * @param direction 0, or 1 for the backward half of a bidirectional node
   * @throws IllegalArgumentException when the node is not a recurrent op or the weights do not fit it
   */
  public RecurrentGateProbe(NodeProto node, Value w, Value r, Value b, Value p, int direction) {
    this.op = node.getOpType();
    int g = switch (op) {
      case "RNN" -> 1;
      case "GRU" -> 3;
      case "LSTM" -> 4;
      default -> throw new IllegalArgumentException("node '" + node.getName() + "' is a " + op + ", not RNN, GRU or LSTM");
    };
    Node n = new Node(node, 0, 14, java.util.Set.of());
    int dirs = n.getString("direction", "forward").equals("bidirectional") ? 2 : 1;
    if (direction < 0 || direction >= dirs) {
      throw new IllegalArgumentException("node '" + node.getName() + "' has " + dirs + " direction(s), asked for " + direction);
    }
    if (w.rank() != 3 || r.rank() != 3) {
      throw new IllegalArgumentException("W and R of node '" + node.getName() + "' must be 3-D");
    }
    int hidden = (int) r.dim(2);
    int input = (int) w.dim(2);
    int gh = g * hidden;
    if (w.dim(0) != dirs || w.dim(1) != gh || r.dim(0) != dirs || r.dim(1) != gh) {
      throw new IllegalArgumentException("W " + Arrays.toString(w.shape()) + " and R " + Arrays.toString(r.shape())
          + " of node '" + node.getName() + "' do not fit " + dirs + " direction(s) of " + g + " gates of " + hidden);
    }
    int d = direction;
    this.w = new GateWeights(hidden, input,
        Arrays.copyOfRange(w.toDoubleArray(), d * gh * input, (d + 1) * gh * input),
        Arrays.copyOfRange(r.toDoubleArray(), d * gh * hidden, (d + 1) * gh * hidden),
        b == null ? new double[gh] : Arrays.copyOfRange(b.toDoubleArray(), d * 2 * gh, d * 2 * gh + gh),
        b == null ? new double[gh] : Arrays.copyOfRange(b.toDoubleArray(), d * 2 * gh + gh, (d + 1) * 2 * gh),
        p == null ? null : Arrays.copyOfRange(p.toDoubleArray(), d * 3 * hidden, (d + 1) * 3 * hidden));
    List<String> defaults = switch (op) {
      case "RNN" -> List.of("Tanh");
      case "GRU" -> List.of("Sigmoid", "Tanh");
      default -> List.of("Sigmoid", "Tanh", "Tanh");
    };
    List<RnnActivation> all = RnnActivation.parse(n.getStrings("activations"), n.getFloats("activation_alpha"),
        n.getFloats("activation_beta"), defaults, dirs);
    this.acts = all.subList(d * defaults.size(), (d + 1) * defaults.size());
    this.clip = n.has("clip") ? n.getFloat("clip", 0) : Double.POSITIVE_INFINITY;
    this.linearBeforeReset = n.getInt("linear_before_reset", 0) != 0;
    this.inputForget = n.getInt("input_forget", 0) != 0;
  }

  /** The hidden size. */
  public int hidden() {
    return w.hidden();
  }

  /**
   * Computes one step.
   *
   * @param x the input vector
   * @param h the previous hidden state
   * @param c the previous cell state (LSTM; ignored otherwise)
   */
  public Step step(double[] x, double[] h, double[] c) {
    int n = w.hidden();
    double[] in = new double[w.wb().length];
    double[] rec = new double[w.rb().length];
    w.inputPart(x, 0, in);
    w.recurrentPart(h, rec);
    Map<String, double[]> gates = new LinkedHashMap<>();
    double[] hNew = new double[n];
    switch (op) {
      case "RNN" -> {
        for (int j = 0; j < n; j++) {
          hNew[j] = acts.get(0).apply(RecurrentCell.clip(in[j] + rec[j], clip));
        }
        return new Step(gates, hNew, null);
      }
      case "GRU" -> {
        double[] z = new double[n];
        double[] r = new double[n];
        double[] cand = new double[n];
        double[] reset = new double[n];
        for (int j = 0; j < n; j++) {
          z[j] = acts.get(0).apply(RecurrentCell.clip(in[j] + rec[j], clip));
          r[j] = acts.get(0).apply(RecurrentCell.clip(in[n + j] + rec[n + j], clip));
          reset[j] = r[j] * h[j];
        }
        double[] rh = new double[n];
        if (!linearBeforeReset) {
          w.recurrentBlock(2, reset, rh);
        }
        for (int j = 0; j < n; j++) {
          double pre = linearBeforeReset ? in[2 * n + j] + r[j] * rec[2 * n + j] : in[2 * n + j] + rh[j];
          cand[j] = acts.get(1).apply(RecurrentCell.clip(pre, clip));
          hNew[j] = (1 - z[j]) * cand[j] + z[j] * h[j];
        }
        gates.put("z", z);
        gates.put("r", r);
        gates.put("h", cand);
        return new Step(gates, hNew, null);
      }
      default -> {
        double[] p = w.p();
        double[] i = new double[n];
        double[] f = new double[n];
        double[] g = new double[n];
        double[] o = new double[n];
        double[] cNew = new double[n];
        for (int j = 0; j < n; j++) {
          double cj = c[j];
          i[j] = acts.get(0).apply(RecurrentCell.clip(in[j] + rec[j] + (p == null ? 0 : p[j] * cj), clip));
          f[j] = inputForget ? 1 - i[j]
              : acts.get(0).apply(RecurrentCell.clip(in[2 * n + j] + rec[2 * n + j] + (p == null ? 0 : p[2 * n + j] * cj), clip));
          g[j] = acts.get(1).apply(RecurrentCell.clip(in[3 * n + j] + rec[3 * n + j], clip));
          cNew[j] = f[j] * cj + i[j] * g[j];
          o[j] = acts.get(0).apply(RecurrentCell.clip(in[n + j] + rec[n + j] + (p == null ? 0 : p[n + j] * cNew[j]), clip));
          hNew[j] = o[j] * acts.get(2).apply(cNew[j]);
        }
        gates.put("i", i);
        gates.put("f", f);
        gates.put("c", g);
        gates.put("o", o);
        return new Step(gates, hNew, cNew);
      }
    }
  }
}

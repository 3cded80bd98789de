package dev.rnnx.ref.onnx;

import dev.rnnx.ref.RefKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recurrent operators {@code RNN}, {@code GRU} and {@code LSTM}: what they share (inputs,
 * attributes, directions, layouts, sequence lengths, outputs) around a {@link RecurrentCell} per
 * direction.
 *
 * <p>Inputs: {@code X, W, R, B, sequence_lens, initial_h} (and for LSTM {@code initial_c, P});
 * every one after {@code R} is optional and may be given as an empty name. Attributes:
 * {@code direction} (forward, reverse, bidirectional), {@code hidden_size} (inferred from {@code R}
 * when absent), {@code activations} with {@code activation_alpha}/{@code activation_beta} (see
 * {@link RnnActivation}), {@code clip}, {@code layout} (opset 14+: 1 puts batch first in {@code X},
 * {@code Y}, the initial and final states), GRU's {@code linear_before_reset} and LSTM's
 * {@code input_forget}.
 *
 * <p>Sequence lengths: a sequence of length {@code L} is computed on its first {@code L} steps
 * only; the reverse direction starts at step {@code L-1}. {@code Y} is zero at steps
 * {@code >= L} (for both directions) and the final states {@code Y_h}, {@code Y_c} are those after
 * the last valid step, as in ONNX's reference implementation and ONNX Runtime. A sequence of length
 * 0 keeps its initial state as its final state (the ONNX reference's masking); ONNX Runtime's CPU
 * kernel writes zeros there instead, which differs only when {@code initial_h}/{@code initial_c}
 * are non-zero.
 *
 * <p>The products run blocked ({@code Direction.batched}): the input projection of every step at
 * once, the recurrent product of all running sequences per step, sequences split over the cores,
 * each sum in the order of the one-sequence loop that {@code rnnx.ref.kernels=naive} keeps.
 */
final class RecurrentOps {

  private RecurrentOps() {}

  /** Builds the cell of one direction. */
  private interface CellFactory {
    RecurrentCell create(Node node, GateWeights w, List<RnnActivation> acts, double clip);
  }

  private record Kind(int gates, List<String> defaultActivations, boolean lstm, CellFactory factory) {}

  private static final Kind RNN = new Kind(1, List.of("Tanh"), false,
      (node, w, a, clip) -> new SimpleRnnCell(w, a.get(0), clip));

  private static final Kind GRU = new Kind(3, List.of("Sigmoid", "Tanh"), false,
      (node, w, a, clip) -> new GruCell(w, a.get(0), a.get(1), clip, node.getInt("linear_before_reset", 0) != 0));

  private static final Kind LSTM = new Kind(4, List.of("Sigmoid", "Tanh", "Tanh"), true,
      (node, w, a, clip) -> new LstmCell(w, a.get(0), a.get(1), a.get(2), clip, node.getInt("input_forget", 0) != 0));

  static List<Value> rnn(Node node, List<Value> in) {
    return run(node, in, RNN);
  }

  static List<Value> gru(Node node, List<Value> in) {
    return run(node, in, GRU);
  }

  static List<Value> lstm(Node node, List<Value> in) {
    return run(node, in, LSTM);
  }

  private static List<Value> run(Node node, List<Value> in, Kind kind) {
    Value x = node.required(in, 0, "X");
    Value w = node.required(in, 1, "W");
    Value r = node.required(in, 2, "R");
    Value b = Node.input(in, 3);
    Value seqLens = Node.input(in, 4);
    Value initH = Node.input(in, 5);
    Value initC = kind.lstm() ? Node.input(in, 6) : null;
    Value p = kind.lstm() ? Node.input(in, 7) : null;
    DataType type = x.type();
    if (!type.isFloating()) {
      throw new IllegalArgumentException("X must be a floating tensor, got " + type);
    }
    for (Value v : Arrays.asList(w, r, b, initH, initC, p)) {
      if (v != null && v.type() != type) {
        throw new IllegalArgumentException("W, R, B, initial states and P must have X's type " + type + ", got "
            + v.type());
      }
    }
    int layout = node.opset() >= 14 ? (int) node.getInt("layout", 0) : 0;
    if (layout != 0 && layout != 1) {
      throw new IllegalArgumentException("layout must be 0 or 1, got " + layout);
    }
    String direction = node.getString("direction", "forward");
    int dirs;
    switch (direction) {
      case "forward":
      case "reverse":
        dirs = 1;
        break;
      case "bidirectional":
        dirs = 2;
        break;
      default:
        throw new IllegalArgumentException("direction must be forward, reverse or bidirectional, got '" + direction
            + "'");
    }
    if (x.rank() != 3) {
      throw new IllegalArgumentException("X must be 3-D, got " + Shapes.str(x.shapeRef()));
    }
    int steps = (int) (layout == 0 ? x.dim(0) : x.dim(1));
    int batch = (int) (layout == 0 ? x.dim(1) : x.dim(0));
    int input = (int) x.dim(2);
    if (r.rank() != 3) {
      throw new IllegalArgumentException("R must be 3-D, got " + Shapes.str(r.shapeRef()));
    }
    int hidden = (int) node.getInt("hidden_size", r.dim(2));
    int g = kind.gates();
    expectShape("W", w, dirs, (long) g * hidden, input);
    expectShape("R", r, dirs, (long) g * hidden, hidden);
    if (b != null) {
      expectShape("B", b, dirs, 2L * g * hidden);
    }
    if (p != null) {
      expectShape("P", p, dirs, 3L * hidden);
    }
    long[] stateShape = layout == 0 ? new long[] {dirs, batch, hidden} : new long[] {batch, dirs, hidden};
    if (initH != null) {
      expectShape("initial_h", initH, stateShape);
    }
    if (initC != null) {
      expectShape("initial_c", initC, stateShape);
    }
    int[] lens = new int[batch];
    Arrays.fill(lens, steps);
    if (seqLens != null) {
      if (seqLens.type() != DataType.INT32 && seqLens.type() != DataType.INT64) {
        throw new IllegalArgumentException("sequence_lens must be INT32, got " + seqLens.type());
      }
      expectShape("sequence_lens", seqLens, batch);
      for (int i = 0; i < batch; i++) {
        long len = seqLens.getLong(i);
        if (len < 0 || len > steps) {
          throw new IllegalArgumentException("sequence_lens[" + i + "] = " + len + " is outside [0, " + steps + "]");
        }
        lens[i] = (int) len;
      }
    }
    double clip = node.has("clip") ? node.getFloat("clip", 0) : Double.POSITIVE_INFINITY;
    if (!(clip > 0)) {
      throw new IllegalArgumentException("clip must be positive, got " + clip);
    }
    List<RnnActivation> acts = RnnActivation.parse(node.getStrings("activations"), node.getFloats("activation_alpha"),
        node.getFloats("activation_beta"), kind.defaultActivations(), dirs);
    int perDir = kind.defaultActivations().size();

    double[] xd = x.doublesRef();
    double[] y = new double[steps * dirs * batch * hidden];
    double[] yh = new double[dirs * batch * hidden];
    double[] yc = new double[dirs * batch * hidden];
    int gh = g * hidden;
    for (int d = 0; d < dirs; d++) {
      GateWeights gw = new GateWeights(hidden, input,
          Arrays.copyOfRange(w.doublesRef(), d * gh * input, (d + 1) * gh * input),
          Arrays.copyOfRange(r.doublesRef(), d * gh * hidden, (d + 1) * gh * hidden),
          b == null ? new double[gh] : Arrays.copyOfRange(b.doublesRef(), d * 2 * gh, d * 2 * gh + gh),
          b == null ? new double[gh] : Arrays.copyOfRange(b.doublesRef(), d * 2 * gh + gh, (d + 1) * 2 * gh),
          p == null ? null : Arrays.copyOfRange(p.doublesRef(), d * 3 * hidden, (d + 1) * 3 * hidden));
      List<RnnActivation> dirActs = acts.subList(d * perDir, (d + 1) * perDir);
      boolean backward = direction.equals("reverse") || d == 1;
      Direction dir = new Direction(layout, d, dirs, batch, steps, input, hidden, backward, lens, initH, initC, y, yh, yc);
      if (RefKernels.naive()) {
        dir.sequences(kind.factory().create(node, gw, dirActs, clip), xd, 0, batch);
      } else {
        dir.batched(gw, () -> kind.factory().create(node, gw, dirActs, clip), xd);
      }
    }
    long[] yShape = layout == 0 ? new long[] {steps, dirs, batch, hidden} : new long[] {batch, steps, dirs, hidden};
    List<Value> out = new ArrayList<>();
    out.add(Value.wrapDoubles(type, yShape, y));
    out.add(Value.wrapDoubles(type, stateShape, yh));
    if (kind.lstm()) {
      out.add(Value.wrapDoubles(type, stateShape.clone(), yc));
    }
    return out;
  }

  /** One direction's run over the batch: the output arrays it fills and how it reads {@code X}. */
  private record Direction(int layout, int d, int dirs, int batch, int steps, int input, int hidden, boolean backward,
      int[] lens, Value initH, Value initC, double[] y, double[] yh, double[] yc) {

    /** The row of {@code X} (and of the input projection) holding step {@code t} of sequence {@code b}. */
    int row(int t, int b) {
      return layout == 0 ? t * batch + b : b * steps + t;
    }

    /** The original loop: sequences {@code [from, to)} one at a time, one step at a time. */
    void sequences(RecurrentCell cell, double[] xd, int from, int to) {
      for (int bi = from; bi < to; bi++) {
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        int so = stateOffset(layout, d, bi, dirs, batch, hidden);
        if (initH != null) {
          System.arraycopy(initH.doublesRef(), so, h, 0, hidden);
        }
        if (initC != null) {
          System.arraycopy(initC.doublesRef(), so, c, 0, hidden);
        }
        int len = lens[bi];
        for (int k = 0; k < len; k++) {
          int t = backward ? len - 1 - k : k;
          cell.step(xd, row(t, bi) * input, h, c);
          System.arraycopy(h, 0, y, outOffset(t, bi), hidden);
        }
        System.arraycopy(h, 0, yh, so, hidden);
        System.arraycopy(c, 0, yc, so, hidden);
      }
    }

    int outOffset(int t, int b) {
      return layout == 0 ? ((t * dirs + d) * batch + b) * hidden : ((b * steps + t) * dirs + d) * hidden;
    }

    /**
     * The same equations, blocked: {@code X · Wᵀ + Wb} of every step at once, then per step
     * {@code H · Rᵀ + Rb} of all running sequences together ({@code RefKernels.multiplyAdd}: the
     * same sums in the same order, so the same bits), the sequences split over the cores.
     */
    void batched(GateWeights gw, java.util.function.Supplier<RecurrentCell> cells, double[] xd) {
      int gh = gw.wb().length;
      int rows = steps * batch;
      double[] xz = new double[rows * gh];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(gw.wb(), 0, xz, r * gh, gh);
      }
      RefKernels.multiplyAdd(xd, rows, input, gw.inputRows(), gh, xz);
      double[][] rRows = gw.recurrentRows();
      int longest = 0;
      for (int len : lens) {
        longest = Math.max(longest, len);
      }
      int steps0 = longest;
      RefKernels.forRows(batch, (long) batch * longest * gh * (input + hidden), (from, to) -> {
        RecurrentCell cell = cells.get();
        int n = to - from;
        double[][] h = new double[n][hidden];
        double[][] c = new double[n][hidden];
        for (int i = 0; i < n; i++) {
          int so = stateOffset(layout, d, from + i, dirs, batch, hidden);
          if (initH != null) {
            System.arraycopy(initH.doublesRef(), so, h[i], 0, hidden);
          }
          if (initC != null) {
            System.arraycopy(initC.doublesRef(), so, c[i], 0, hidden);
          }
        }
        int[] active = new int[n];
        double[] hs = new double[n * hidden];
        double[] rec = new double[n * gh];
        double[][] scratch = RefKernels.scratch(gh);
        for (int k = 0; k < steps0; k++) {
          int m = 0;
          for (int i = 0; i < n; i++) {
            if (k < lens[from + i]) {
              active[m] = i;
              System.arraycopy(h[i], 0, hs, m * hidden, hidden);
              System.arraycopy(gw.rb(), 0, rec, m * gh, gh);
              m++;
            }
          }
          if (m == 0) {
            break;
          }
          RefKernels.multiplyAddSerial(hs, m, hidden, rRows, gh, rec, scratch);
          for (int a = 0; a < m; a++) {
            int i = active[a];
            int b = from + i;
            int t = backward ? lens[b] - 1 - k : k;
            cell.finish(xz, row(t, b) * gh, rec, a * gh, h[i], c[i]);
            System.arraycopy(h[i], 0, y, outOffset(t, b), hidden);
          }
        }
        for (int i = 0; i < n; i++) {
          int so = stateOffset(layout, d, from + i, dirs, batch, hidden);
          System.arraycopy(h[i], 0, yh, so, hidden);
          System.arraycopy(c[i], 0, yc, so, hidden);
        }
      });
    }
  }

  private static int stateOffset(int layout, int d, int b, int dirs, int batch, int hidden) {
    return layout == 0 ? (d * batch + b) * hidden : (b * dirs + d) * hidden;
  }

  private static void expectShape(String name, Value v, long... shape) {
    if (!Arrays.equals(v.shapeRef(), shape)) {
      throw new IllegalArgumentException(name + " must have shape " + Arrays.toString(shape) + ", got "
          + Shapes.str(v.shapeRef()));
    }
  }
}

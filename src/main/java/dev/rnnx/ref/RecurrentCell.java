package dev.rnnx.ref;

import dev.rnnx.spec.Activation;
import dev.rnnx.spec.Gru;
import dev.rnnx.spec.Lstm;
import dev.rnnx.spec.RecurrentLayer;
import dev.rnnx.spec.SimpleRnn;
import dev.rnnx.weights.Weights;
import java.util.Arrays;
import java.util.List;

/**
 * One time step of a recurrent layer on the canonical parameters, in double precision. A cell
 * holds scratch space: make one per forward call (they are cheap) and never share it between
 * threads.
 */
abstract class RecurrentCell {

  /** Input features per step. */
  final int in;
  /** Hidden size H. */
  final int units;
  /** Gate blocks G in the kernels. */
  final int blocks;
  /** {@code kernel [in, G·H]}, row-major. */
  final double[] kernel;
  /** {@code recurrent_kernel [H, G·H]}, row-major. */
  final double[] recurrent;
  /**
   * Whether this cell runs the vectorised products ({@link RefKernels#rowsOf}) and
   * {@link RefMath#tanh}: unless {@code rnnx.ref.kernels=naive} selects the original loops.
   */
  final boolean fast = !RefKernels.naive();
  private double[][] kernelRows;
  private double[][] recurrentRows;

  RecurrentCell(RecurrentLayer layer, String prefix, Weights weights, int in) {
    this.in = in;
    this.units = layer.units();
    this.blocks = layer.gates();
    this.kernel = param(weights, prefix + "kernel", in * blocks * units);
    this.recurrent = param(weights, prefix + "recurrent_kernel", units * blocks * units);
  }

  /**
   * The cell of a recurrent layer.
   *
   * @param prefix the parameter-name prefix, e.g. {@code lstm/} or {@code bi/forward/}
   * @param in the input feature count
   */
  static RecurrentCell of(RecurrentLayer layer, String prefix, Weights weights, int in) {
    if (layer instanceof Lstm l) {
      return new LstmCell(l, prefix, weights, in);
    }
    if (layer instanceof Gru g) {
      return new GruCell(g, prefix, weights, in);
    }
    return new SimpleCell((SimpleRnn) layer, prefix, weights, in);
  }

  /** The number of states: 1 (h) or 2 (h, c). */
  abstract int stateCount();

  /** Gate names in canonical order, as the traces name them. */
  abstract List<String> gateNames();

  /**
   * Reads {@code x[xOff … xOff+in)} and updates the states in place.
   *
   * @param states {@code H} values per state, {@code h} first
   * @param gates when non-null, receives each gate's {@code H} activations
   */
  abstract void step(double[] x, int xOff, double[][] states, double[][] gates);

  /** The bias the input projection {@code bias + x · kernel} starts from, {@code [G·H]}. */
  abstract double[] inputBias();

  /**
   * The bias the recurrent projection starts from, {@code [G·H]}, or {@code null} when the
   * recurrent product is added to the input projection in place (one pre-activation).
   */
  double[] recurrentBias() {
    return null;
  }

  /** The leading columns of {@code recurrent_kernel} the batched step multiplies by {@code h}. */
  int recurrentColumns() {
    return blocks * units;
  }

  /**
   * The rest of one step of the batched run ({@link RecurrentBatch}), for one sequence: the same
   * equations as {@link #step}, after the products.
   *
   * @param xz {@code inputBias + x · kernel} of this step at {@code xzOff}
   * @param acc at {@code accOff}: {@code xz + h · recurrent} (one pre-activation) or
   *     {@code recurrentBias + h · recurrent} (when {@link #recurrentBias} is non-null)
   * @param states each state's {@code H} values of this sequence at {@code sOff}, updated in place
   * @param gates when non-null, receives each gate's {@code H} activations at {@code gOff}
   * @param scratch {@code H} values of scratch space (one per thread)
   */
  abstract void finish(double[] xz, int xzOff, double[] acc, int accOff, double[][] states, int sOff, double[][] gates,
      int gOff, double[] scratch);

  /** Scratch space of {@link #stepRows} for up to a given number of sequences; one per thread. */
  static final class Rows {
    final double[] xz;
    final double[] acc;
    final double[][] products;
    final double[] finish;

    Rows(int rows, int cols, int units) {
      xz = new double[rows * cols];
      acc = new double[rows * cols];
      products = RefKernels.scratch(cols);
      finish = new double[units];
    }
  }

  /** {@link #stepRows}'s scratch for up to {@code rows} sequences. */
  Rows rowScratch(int rows) {
    return new Rows(rows, blocks * units, units);
  }

  /**
   * {@link #step} for the sequences {@code active[0 … n)} together: row {@code i} of {@code x}
   * ({@link #in} values at {@code i·in}) and of every state ({@code H} values at {@code i·H}),
   * updated in place. The input and recurrent products of all rows are two row products
   * ({@link RefKernels#productRows}); each value is summed in {@link #step}'s order (bias, the
   * input's k ascending, then h's), so every row equals its own {@link #step} bit for bit.
   */
  void stepRows(double[] x, int[] active, int n, double[][] states, Rows s) {
    int cols = blocks * units;
    double[] inputBias = inputBias();
    double[] rBias = recurrentBias();
    for (int a = 0; a < n; a++) {
      int i = active[a];
      System.arraycopy(inputBias, 0, s.xz, i * cols, cols);
      if (rBias != null) {
        System.arraycopy(rBias, 0, s.acc, i * cols, cols);
      }
    }
    RefKernels.productRows(x, in, active, n, in, kernelRows(), 0, cols, s.xz, cols, s.products);
    double[] acc = rBias == null ? s.xz : s.acc;
    RefKernels.productRows(states[0], units, active, n, units, recurrentRows(), 0, recurrentColumns(), acc, cols,
        s.products);
    for (int a = 0; a < n; a++) {
      int i = active[a];
      finish(s.xz, i * cols, acc, i * cols, states, i * units, null, 0, s.finish);
    }
  }

  /** {@code kernel} as row arrays ({@link RefKernels#rowsOf}), made on first use. */
  double[][] kernelRows() {
    if (kernelRows == null) {
      kernelRows = RefKernels.rowsOf(kernel, in, blocks * units);
    }
    return kernelRows;
  }

  /** {@code recurrent_kernel} as row arrays ({@link RefKernels#rowsOf}), made on first use. */
  double[][] recurrentRows() {
    if (recurrentRows == null) {
      recurrentRows = RefKernels.rowsOf(recurrent, units, blocks * units);
    }
    return recurrentRows;
  }

  /** {@code z[c] += Σ_k x[xOff+k] · kernel[k, c]} for {@code c ∈ [from, to)}. */
  void addInput(double[] x, int xOff, double[] z, int from, int to) {
    if (!fast) {
      addProduct(x, xOff, in, kernel, blocks * units, z, from, to);
      return;
    }
    double[][] rows = kernelRows();
    for (int k = 0; k < in; k++) {
      RefKernels.axpy(x[xOff + k], rows[k], z, from, to);
    }
  }

  /** {@code z[c] += Σ_k h[k] · recurrent_kernel[k, c]} for {@code c ∈ [from, to)}. */
  void addRecurrent(double[] h, double[] z, int from, int to) {
    if (!fast) {
      addProduct(h, 0, units, recurrent, blocks * units, z, from, to);
      return;
    }
    double[][] rows = recurrentRows();
    for (int k = 0; k < units; k++) {
      RefKernels.axpy(h[k], rows[k], z, from, to);
    }
  }

  /** {@code f(v)}: {@link RefMath#tanh} for tanh when {@link #fast}, otherwise {@link Activation#apply}. */
  final double act(Activation f, double v) {
    return fast && f == Activation.TANH ? RefMath.tanh(v) : f.apply(v);
  }

  static double[] param(Weights weights, String name, int expected) {
    float[] f = weights.get(name).data();
    if (f.length != expected) {
      throw new IllegalArgumentException("parameter '" + name + "' holds " + f.length + " values, expected " + expected);
    }
    double[] d = new double[f.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /**
   * {@code z[c] += Σ_k v[vOff+k] · m[k, c]} for columns {@code c} in {@code [from, to)} of the
   * row-major {@code m [rows, cols]}.
   */
  static void addProduct(double[] v, int vOff, int rows, double[] m, int cols, double[] z, int from, int to) {
    for (int k = 0; k < rows; k++) {
      double vk = v[vOff + k];
      int base = k * cols;
      for (int c = from; c < to; c++) {
        z[c] += vk * m[base + c];
      }
    }
  }

  /** {@code h = a(x · kernel + h · recurrent_kernel + bias)}. */
  static final class SimpleCell extends RecurrentCell {
    private final double[] bias;
    private final Activation a;
    private final double[] z;

    SimpleCell(SimpleRnn layer, String prefix, Weights weights, int in) {
      super(layer, prefix, weights, in);
      bias = layer.useBias() ? param(weights, prefix + "bias", units) : new double[units];
      a = layer.activation();
      z = new double[units];
    }

    @Override
    int stateCount() {
      return 1;
    }

    @Override
    List<String> gateNames() {
      return List.of();
    }

    @Override
    void step(double[] x, int xOff, double[][] states, double[][] gates) {
      double[] h = states[0];
      System.arraycopy(bias, 0, z, 0, units);
      addInput(x, xOff, z, 0, units);
      addRecurrent(h, z, 0, units);
      finish(null, 0, z, 0, states, 0, gates, 0, null);
    }

    @Override
    double[] inputBias() {
      return bias;
    }

    @Override
    void finish(double[] xz, int xzOff, double[] acc, int accOff, double[][] states, int sOff, double[][] gates, int gOff,
        double[] scratch) {
      double[] h = states[0];
      for (int j = 0; j < units; j++) {
        h[sOff + j] = act(a, acc[accOff + j]);
      }
    }
  }

  /** The {@link Lstm} equations, gate blocks i, f, c, o; peepholes i, f, o. */
  static final class LstmCell extends RecurrentCell {
    private final double[] bias;
    private final double[] peephole;
    private final Activation a;
    private final Activation r;
    private final double[] z;

    LstmCell(Lstm layer, String prefix, Weights weights, int in) {
      super(layer, prefix, weights, in);
      bias = layer.useBias() ? param(weights, prefix + "bias", 4 * units) : new double[4 * units];
      peephole = layer.peephole() ? param(weights, prefix + "peephole", 3 * units) : null;
      a = layer.activation();
      r = layer.recurrentActivation();
      z = new double[4 * units];
    }

    @Override
    int stateCount() {
      return 2;
    }

    @Override
    List<String> gateNames() {
      return Lstm.GATES;
    }

    @Override
    void step(double[] x, int xOff, double[][] states, double[][] gates) {
      double[] h = states[0];
      double[] c = states[1];
      int n = units;
      System.arraycopy(bias, 0, z, 0, 4 * n);
      addInput(x, xOff, z, 0, 4 * n);
      addRecurrent(h, z, 0, 4 * n);
      finish(null, 0, z, 0, states, 0, gates, 0, null);
    }

    @Override
    double[] inputBias() {
      return bias;
    }

    @Override
    void finish(double[] xz, int xzOff, double[] z, int zOff, double[][] states, int sOff, double[][] gates, int gOff,
        double[] scratch) {
      double[] h = states[0];
      double[] c = states[1];
      int n = units;
      for (int j = 0; j < n; j++) {
        double cPrev = c[sOff + j];
        double zi = z[zOff + j];
        double zf = z[zOff + n + j];
        double zo = z[zOff + 3 * n + j];
        if (peephole != null) {
          zi += peephole[j] * cPrev;
          zf += peephole[n + j] * cPrev;
        }
        double i = act(r, zi);
        double f = act(r, zf);
        double g = act(a, z[zOff + 2 * n + j]);
        double cNew = f * cPrev + i * g;
        if (peephole != null) {
          zo += peephole[2 * n + j] * cNew;
        }
        double o = act(r, zo);
        c[sOff + j] = cNew;
        h[sOff + j] = o * act(a, cNew);
        if (gates != null) {
          gates[0][gOff + j] = i;
          gates[1][gOff + j] = f;
          gates[2][gOff + j] = g;
          gates[3][gOff + j] = o;
        }
      }
    }
  }

  /** The {@link Gru} equations, gate blocks z, r, h, both reset conventions. */
  static final class GruCell extends RecurrentCell {
    private final boolean resetAfter;
    private final double[] inputBias;
    private final double[] recurrentBias;
    private final Activation a;
    private final Activation r;
    private final double[] xz;
    private final double[] hz;
    private final double[] reset;

    GruCell(Gru layer, String prefix, Weights weights, int in) {
      super(layer, prefix, weights, in);
      int g = 3 * units;
      resetAfter = layer.resetAfter();
      if (!layer.useBias()) {
        inputBias = new double[g];
        recurrentBias = new double[g];
      } else if (resetAfter) {
        double[] both = param(weights, prefix + "bias", 2 * g);
        inputBias = Arrays.copyOfRange(both, 0, g);
        recurrentBias = Arrays.copyOfRange(both, g, 2 * g);
      } else {
        inputBias = param(weights, prefix + "bias", g);
        recurrentBias = new double[g];
      }
      a = layer.activation();
      r = layer.recurrentActivation();
      xz = new double[g];
      hz = new double[g];
      reset = new double[units];
    }

    @Override
    int stateCount() {
      return 1;
    }

    @Override
    List<String> gateNames() {
      return Gru.GATES;
    }

    @Override
    void step(double[] x, int xOff, double[][] states, double[][] gates) {
      double[] h = states[0];
      int n = units;
      int g = 3 * n;
      System.arraycopy(inputBias, 0, xz, 0, g);
      addInput(x, xOff, xz, 0, g);
      System.arraycopy(recurrentBias, 0, hz, 0, g);
      // reset_after: h · U for all three blocks; otherwise the candidate's block waits for r ⊙ h
      addRecurrent(h, hz, 0, resetAfter ? g : 2 * n);
      finish(xz, 0, hz, 0, states, 0, gates, 0, reset);
    }

    @Override
    double[] inputBias() {
      return inputBias;
    }

    @Override
    double[] recurrentBias() {
      return recurrentBias;
    }

    @Override
    int recurrentColumns() {
      return resetAfter ? 3 * units : 2 * units;
    }

    @Override
    void finish(double[] xz, int xzOff, double[] hz, int hzOff, double[][] states, int sOff, double[][] gates, int gOff,
        double[] scratch) {
      double[] h = states[0];
      int n = units;
      int g = 3 * n;
      double[] reset = scratch;
      for (int j = 0; j < n; j++) {
        reset[j] = act(r, xz[xzOff + n + j] + hz[hzOff + n + j]);
      }
      if (!resetAfter) {
        // the candidate block of hz is zero so far (a [3H] bias has no recurrent part)
        for (int k = 0; k < n; k++) {
          double vk = reset[k] * h[sOff + k];
          int base = k * g;
          for (int c = 2 * n; c < g; c++) {
            hz[hzOff + c] += vk * recurrent[base + c];
          }
        }
      }
      for (int j = 0; j < n; j++) {
        double zt = act(r, xz[xzOff + j] + hz[hzOff + j]);
        double candidate = resetAfter
            ? act(a, xz[xzOff + 2 * n + j] + reset[j] * hz[hzOff + 2 * n + j])
            : act(a, xz[xzOff + 2 * n + j] + hz[hzOff + 2 * n + j]);
        if (gates != null) {
          gates[0][gOff + j] = zt;
          gates[1][gOff + j] = reset[j];
          gates[2][gOff + j] = candidate;
        }
        h[sOff + j] = zt * h[sOff + j] + (1 - zt) * candidate;
      }
    }
  }
}

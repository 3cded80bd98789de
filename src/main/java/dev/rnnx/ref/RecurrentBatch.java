package dev.rnnx.ref;

import java.util.List;

/**
 * {@link RecurrentRun#run}'s blocked form: the input projection {@code bias + x · kernel} of every
 * step at once, then per time step the recurrent product of all running sequences together (each
 * tile of {@code recurrent_kernel} read once per step, not once per sequence), the sequences split
 * over the cores in independent chunks. Each value is summed in the same order as the one-sequence
 * loop, so the products agree to the last bit; the two runs differ only through
 * {@link RefMath#tanh} (at most 2 ulps from {@link Math#tanh}), which the cell uses unless
 * {@code rnnx.ref.kernels=naive}.
 */
final class RecurrentBatch {

  private RecurrentBatch() {}

  /** The sequence, finals and traces of one direction, as {@link RecurrentRun#run} documents them. */
  static RecurrentRun.Result run(RecurrentCell cell, double[] xs, int batch, int time, int in, int[] lens,
      List<DoubleTensor> initial, boolean backwards, double[] sequence, double[][] stateTrace, double[][] gateTrace) {
    int h = cell.units;
    int cols = cell.blocks * h;
    int stateCount = cell.stateCount();
    double[] xz = RefKernels.linear(xs, batch * time, in, cell.kernel, cols, cell.inputBias(), false);
    double[][] finals = new double[stateCount][batch * h];
    int recCols = cell.recurrentColumns();
    long work = (long) batch * time * cols * (in + h);
    double[][] recurrentRows = cell.recurrentRows();
    RefKernels.forRows(batch, work, (from, to) -> {
      int rows = to - from;
      double[][] state = new double[stateCount][rows * h];
      for (int s = 0; s < stateCount; s++) {
        if (initial != null) {
          System.arraycopy(initial.get(s).data(), from * h, state[s], 0, rows * h);
        }
      }
      double[] acc = new double[rows * cols];
      double[] scratch = new double[h];
      double[][] rowScratch = RefKernels.scratch(cols);
      double[] rBias = cell.recurrentBias();
      int[] active = new int[rows];
      int longest = 0;
      for (int i = 0; i < rows; i++) {
        longest = Math.max(longest, lens[from + i]);
      }
      for (int p = 0; p < longest; p++) {
        int n = 0;
        for (int i = 0; i < rows; i++) {
          if (p < lens[from + i]) {
            active[n++] = i;
          }
        }
        for (int a = 0; a < n; a++) {
          int i = active[a];
          int b = from + i;
          int row = b * time + (backwards ? lens[b] - 1 - p : p);
          if (rBias == null) {
            System.arraycopy(xz, row * cols, acc, i * cols, cols);
          } else {
            System.arraycopy(rBias, 0, acc, i * cols, cols);
          }
        }
        RefKernels.productRows(state[0], h, active, n, h, recurrentRows, 0, recCols, acc, cols, rowScratch);
        for (int a = 0; a < n; a++) {
          int i = active[a];
          int b = from + i;
          int row = b * time + (backwards ? lens[b] - 1 - p : p);
          cell.finish(xz, row * cols, acc, i * cols, state, i * h, gateTrace, row * h, scratch);
          if (sequence != null) {
            System.arraycopy(state[0], i * h, sequence, row * h, h);
          }
          if (stateTrace != null) {
            for (int s = 0; s < stateCount; s++) {
              System.arraycopy(state[s], i * h, stateTrace[s], row * h, h);
            }
          }
        }
      }
      for (int s = 0; s < stateCount; s++) {
        System.arraycopy(state[s], 0, finals[s], from * h, rows * h);
      }
    });
    return new RecurrentRun.Result(sequence, finals);
  }
}

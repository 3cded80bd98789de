package dev.rnnx.ref.onnx;

/**
 * The weights of one direction of a recurrent node, gate blocks in ONNX order (LSTM i,o,f,c; GRU
 * z,r,h; RNN one block): {@code w [G*H, I]}, {@code r [G*H, H]}, the input and recurrent biases
 * {@code wb}, {@code rb [G*H]} and, for LSTM, the peepholes {@code p [3H]} (i,o,f) or null.
 */
record GateWeights(int hidden, int input, double[] w, double[] r, double[] wb, double[] rb, double[] p) {

  /** {@code out[g] = W[g,:] x + Wb[g]} for every gate row. */
  void inputPart(double[] x, int xOffset, double[] out) {
    for (int g = 0; g < out.length; g++) {
      double s = wb[g];
      int row = g * input;
      for (int k = 0; k < input; k++) {
        s += w[row + k] * x[xOffset + k];
      }
      out[g] = s;
    }
  }

  /** {@code out[g] = R[g,:] h + Rb[g]} for every gate row. */
  void recurrentPart(double[] h, double[] out) {
    for (int g = 0; g < out.length; g++) {
      double s = rb[g];
      int row = g * hidden;
      for (int k = 0; k < hidden; k++) {
        s += r[row + k] * h[k];
      }
      out[g] = s;
    }
  }

  /** {@code out[j] = R[gate*H + j,:] v + Rb[gate*H + j]} for one gate block. */
  void recurrentBlock(int gate, double[] v, double[] out) {
    for (int j = 0; j < hidden; j++) {
      int g = gate * hidden + j;
      double s = rb[g];
      int row = g * hidden;
      for (int k = 0; k < hidden; k++) {
        s += r[row + k] * v[k];
      }
      out[j] = s;
    }
  }

  /** {@code W} transposed, {@code [I][G*H]}: the right operand of {@code X · Wᵀ} for {@code RefKernels.multiplyAdd}. */
  double[][] inputRows() {
    return transposedRows(w, input);
  }

  /** {@code R} transposed, {@code [H][G*H]}. */
  double[][] recurrentRows() {
    return transposedRows(r, hidden);
  }

  private static double[][] transposedRows(double[] m, int cols) {
    int rows = m.length / cols;
    double[][] t = new double[cols][rows];
    for (int g = 0; g < rows; g++) {
      for (int k = 0; k < cols; k++) {
        t[k][g] = m[g * cols + k];
      }
    }
    return t;
  }
}
